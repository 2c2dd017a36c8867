// `.vds` files in a browser (package.json "browser" maps vdsFileDataset.ts here): a page has no
// file system, so a path or file:// URL ending in .vds is refused; any other URL names a store.
import { InvalidOperationError } from '../../src/model/errors.js';
import type { StoreIntent } from '../stores/storeSchemes.js';
import type * as node from './vdsFileDataset.js';

function vdsFileNeedsNode(path: string): InvalidOperationError {
  return new InvalidOperationError(`${path} is a .vds file, which cannot be read in a browser: ` +
    'copy it to a folder dataset on a web server (rxvds copy) and open that by URL');
}

export function vdsFileDatasetFor(url: string, _intent: StoreIntent = 'open'): undefined {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  if ((scheme === undefined || scheme === 'file') && url.toLowerCase().endsWith('.vds')) throw vdsFileNeedsNode(url);
  return undefined;
}

export function vdsFileDatasetAt(path: string, _intent: StoreIntent = 'open'): never {
  throw vdsFileNeedsNode(path);
}

({ vdsFileDatasetFor, vdsFileDatasetAt }) satisfies Pick<typeof node, 'vdsFileDatasetFor' | 'vdsFileDatasetAt'>;
