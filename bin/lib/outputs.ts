// Where commands write. Existing data is never replaced without --overwrite, and a local output
// never appears half-written under its final name: it is written under a temporary name in the
// same folder and renamed at the end. On failure or interruption the temporary output goes away
// and the user learns what state the output is in.
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../sources/stores/openStore.js';
import { InvalidArgumentError } from '../../src/model/errors.js';
import { redactUrl } from '../../sources/stores/redact.js';
import { objectInfo, type Store } from '../../sources/stores/store.js';
import type { DatasetStore } from '../../src/engine/datasetStore.js';
import { datasetWithSignal } from '../../sources/dataset/datasetWithSignal.js';
import { vdsFileDatasetFor } from '../../sources/dataset/vdsFileDataset.js';
import { withSignal } from '../../sources/stores/withSignal.js';
import { interruption } from './interrupt.js';

export const overwriteOption = { overwrite: { type: 'boolean' } } as const;

abstract class Output {
  private committed = false;
  private readonly tracked: { release(): void };
  private settled: Promise<string> | undefined;

  constructor() {
    this.tracked = interruption.track(() => this.settle());
  }

  /** Moves the finished output under its final name; refused once interrupted. */
  async commit(): Promise<void> {
    interruption.throwIfInterrupted();
    await this.publish();
    this.committed = true;
    this.tracked.release();
  }

  /** In a `finally`: removes an uncommitted output, unless an interruption is handling it (and will report it). */
  async close(): Promise<void> {
    if (this.committed || interruption.exitCode !== undefined) return;
    await this.settle();
    this.tracked.release();
  }

  private settle(): Promise<string> {
    return (this.settled ??= this.discard());
  }

  protected abstract publish(): Promise<void>;
  /** Removes the temporary output; says what state the final one is in. */
  protected abstract discard(): Promise<string>;
}

/** `what` is in the way (it exists, or `why`): name it and the flag that replaces it. */
export function refuse(what: string, why = 'exists'): never {
  throw new InvalidArgumentError(`${what} ${why}: pass --overwrite to replace it`);
}

async function statOrUndefined(path: string) {
  return stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

/** `dir/.name.rxvds-partial-<pid><suffix>`: hidden, beside the target (same file system, so rename is atomic). */
function temporaryBeside(path: string, suffix = ''): string {
  return join(dirname(path), `.${basename(path, suffix)}.rxvds-partial-${process.pid}${suffix}`);
}

/** A file (a slice, a SEG-Y export): write to `temp`, then `commit()`. */
export class FileOutput extends Output {
  private constructor(readonly path: string, readonly temp: string, private readonly existed: boolean) {
    super();
  }

  static async prepare(path: string, overwrite: boolean): Promise<FileOutput> {
    const target = resolve(path);
    const existing = await statOrUndefined(target);
    if (existing?.isDirectory()) throw new InvalidArgumentError(`${path} is a folder, not a file`);
    if (existing && !overwrite) refuse(path);
    return new FileOutput(path, temporaryBeside(target), existing !== undefined);
  }

  protected async publish(): Promise<void> {
    await rename(this.temp, resolve(this.path));
  }

  protected async discard(): Promise<string> {
    await rm(this.temp, { force: true });
    return this.existed ? `${this.path} was left as it was` : `${this.path} was not created`;
  }
}

/**
 * A new dataset. A local folder or `.vds` file is written beside the target and renamed into
 * place; an existing one is replaced only with --overwrite, and only if it is a dataset (a folder
 * that holds anything else is never deleted). A remote dataset is written in place.
 */
export abstract class DatasetOutput extends Output {
  /** Stops at its next operation when the command is interrupted. */
  /** Where the dataset goes: a store, or a `.vds` file's dataset layer. */
  abstract readonly store: Store | DatasetStore;

  static async prepare(url: string, connectionString: string, overwrite: boolean): Promise<DatasetOutput> {
    const local = localPath(url);
    return local === undefined ? RemoteDatasetOutput.at(url, connectionString, overwrite) : LocalDatasetOutput.at(local, url, connectionString, overwrite);
  }
}

function localPath(url: string): string | undefined {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return resolve(url);
  return scheme === 'file' ? fileURLToPath(url) : undefined;
}

class LocalDatasetOutput extends DatasetOutput {
  override readonly store: Store | DatasetStore;

  private constructor(private readonly path: string, private readonly label: string, private readonly temp: string,
    connectionString: string, private readonly existed: boolean) {
    super();
    const file = vdsFileDatasetFor(temp, 'create');
    this.store = file ? datasetWithSignal(file, interruption.signal) : withSignal(openStore(temp, connectionString, 'create').store, interruption.signal);
  }

  static async at(path: string, label: string, connectionString: string, overwrite: boolean): Promise<LocalDatasetOutput> {
    const isVdsFile = path.toLowerCase().endsWith('.vds');
    const existing = await statOrUndefined(path);
    let existed = existing !== undefined;
    if (existing?.isDirectory()) {
      const entries = await readdir(path);
      if (entries.length === 0) existed = false;
      else if (isVdsFile || !entries.includes('VolumeDataLayout')) throw new InvalidArgumentError(`${label} exists and is not a dataset: choose another destination`);
    } else if (existing && !isVdsFile) {
      throw new InvalidArgumentError(`${label} is a file, not a dataset folder`);
    }
    if (existed && !overwrite) refuse(label);
    return new LocalDatasetOutput(path, label, temporaryBeside(path, isVdsFile ? path.slice(-4) : ''), connectionString, existed);
  }

  protected async publish(): Promise<void> {
    await this.store.close?.();
    if (!this.existed) {
      // An empty folder in the way (checked in prepare) is replaced by the rename.
      await rename(this.temp, this.path);
      return;
    }
    // The old dataset steps aside first, so a failure here never leaves the user with neither.
    const old = temporaryBeside(this.path, '.old');
    await rename(this.path, old);
    await rename(this.temp, this.path);
    await rm(old, { recursive: true, force: true });
  }

  protected async discard(): Promise<string> {
    await this.store.close?.().catch(() => undefined);
    await rm(this.temp, { recursive: true, force: true });
    await rm(`${this.temp}.lock`, { force: true });
    return this.existed ? `${this.label} was left as it was` : `${this.label} was not created`;
  }
}

class RemoteDatasetOutput extends DatasetOutput {
  private constructor(override readonly store: Store, private readonly label: string) {
    super();
  }

  static async at(url: string, connectionString: string, overwrite: boolean): Promise<RemoteDatasetOutput> {
    const store = openStore(url, connectionString, 'create').store;
    const label = redactUrl(url);
    if (!overwrite && await objectInfo(store, 'VolumeDataLayout')) {
      await store.close?.();
      refuse(label);
    }
    return new RemoteDatasetOutput(withSignal(store, interruption.signal), label);
  }

  protected async publish(): Promise<void> {
    await this.store.close?.();
  }

  protected async discard(): Promise<string> {
    await this.store.close?.().catch(() => undefined);
    return `${this.label} is incomplete: delete it, or run the command again with --overwrite`;
  }
}
