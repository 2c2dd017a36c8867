// Maps an OpenVDS URL (plus connection string) to a Store.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConnectionString } from '../src/connectionString.js';
import { InvalidArgumentError } from '../src/errors.js';
import { FolderStore } from './folderStore.js';
import { MemoryStore } from './memoryStore.js';
import { VdsFileStore } from './vdsFileStore.js';
import type { Store } from './store.js';

export interface OpenedStore {
  store: Store;
  /** Connection-string keys (lowercased) for the engine, e.g. `waveletadaptivetolerance`. */
  options: ReadonlyMap<string, string>;
}

/** `create` opens a store for a new dataset (a new `.vds` file, say); `open` one that exists. */
export type StoreIntent = 'open' | 'create';

export function openStore(url: string, connectionString = '', intent: StoreIntent = 'open'): OpenedStore {
  if (typeof url !== 'string' || url.trim() === '') throw new InvalidArgumentError('The dataset URL is empty');
  const options = parseConnectionString(connectionString);
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case undefined:
      return { store: localStore(resolve(url), intent), options };
    case 'file':
      return { store: localStore(fileURLToPath(url), intent), options };
    case 'inmemory':
      return { store: new MemoryStore(url.slice('inmemory://'.length)), options };
    case 's3': case 'azure': case 'az': case 'azuresas': case 'gs': case 'http': case 'https':
      throw new InvalidArgumentError(`${scheme}:// datasets are not supported yet (${url})`);
    default:
      throw new InvalidArgumentError(`Unknown URL scheme "${scheme}" in ${url}`);
  }
}

function localStore(path: string, intent: StoreIntent): Store {
  if (path.toLowerCase().endsWith('.vds')) return new VdsFileStore(path, intent === 'create' ? 'create' : 'read');
  return new FolderStore(path);
}
