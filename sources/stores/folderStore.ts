// The embedded default: a dataset as a folder, one file per object key (`Dimensions_012LOD0/17`).
// Writes go to a temporary file that is renamed into place, so readers never see half an object.
import { randomBytes } from 'node:crypto';
import { close as closeCallback, fstat as fstatCallback, open as openCallback, read as readCallback, readFile as readFileCallback } from 'node:fs';
import { promisify } from 'node:util';
import { mkdir, open, readdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { CanceledError, InvalidArgumentError, StoreError, WriteError } from '../../src/model/errors.js';
import { throwIfAborted } from '../../src/async/abort.js';
import { assertSafeKey } from './keys.js';
import type { FileExtent } from '../../src/engine/datasetStore.js';
import type { ByteRange, DeletableStore, ListableStore, ObjectInfo, ReadOptions, Store, WriteOptions } from './store.js';

const TEMP_SUFFIX = '.rxvds-tmp';
const openFd = promisify(openCallback), fstatFd = promisify(fstatCallback), closeFd = promisify(closeCallback);
const readFd = promisify(readCallback);

export class FolderStore implements Store, ListableStore, DeletableStore {
  readonly description: string;
  /** The root with symbolic links resolved, once it exists. */
  private realRoot: string | undefined;

  constructor(readonly root: string) {
    this.description = root;
  }

  async get(key: string, options?: ReadOptions): Promise<Uint8Array | undefined> {
    const path = this.path(key);
    if (options?.into) return this.readInto(path, key, options.into, options);
    try {
      // The callback form is one libuv request; fs/promises costs four round trips per file.
      const data = await new Promise<Buffer>((resolve, reject) => {
        readFileCallback(path, { signal: options?.signal }, (error, bytes) => (error ? reject(error) : resolve(bytes)));
      });
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    } catch (error) {
      return this.missingOrThrow(error, key, options);
    }
  }

  /** `get` into the caller's buffer: open, size, read, close, with the callback API (the cheapest round trips). */
  private async readInto(path: string, key: string, into: (size: number) => Uint8Array, options: ReadOptions): Promise<Uint8Array | undefined> {
    throwIfAborted(options.signal);
    let fd: number;
    try {
      fd = await openFd(path, 'r');
    } catch (error) {
      return this.missingOrThrow(error, key, options);
    }
    try {
      const buffer = into((await fstatFd(fd)).size);
      let done = 0;
      while (done < buffer.length) {
        throwIfAborted(options.signal);
        const { bytesRead } = await readFd(fd, buffer, done, buffer.length - done, done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return buffer.subarray(0, done);
    } catch (error) {
      return this.missingOrThrow(error, key, options);
    } finally {
      await closeFd(fd);
    }
  }

  localFile(key: string): FileExtent {
    return { path: this.path(key), offset: 0 };
  }

  async getRange(key: string, range: ByteRange, options?: ReadOptions): Promise<Uint8Array | undefined> {
    const path = this.path(key);
    throwIfAborted(options?.signal);
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      return this.missingOrThrow(error, key, options);
    }
    try {
      const size = (await handle.stat()).size;
      const start = Math.min(range.offset, size);
      const end = range.length === undefined ? size : Math.min(size, range.offset + range.length);
      const buffer = new Uint8Array(end - start);
      let done = 0;
      while (done < buffer.length) {
        throwIfAborted(options?.signal);
        const { bytesRead } = await handle.read(buffer, done, buffer.length - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return buffer.subarray(0, done);
    } finally {
      await handle.close();
    }
  }

  async head(key: string, options?: ReadOptions): Promise<ObjectInfo | undefined> {
    throwIfAborted(options?.signal);
    try {
      const info = await stat(this.path(key));
      return info.isFile() ? { size: info.size } : undefined;
    } catch (error) {
      return this.missingOrThrow(error, key, options);
    }
  }

  async set(key: string, data: Uint8Array, options?: WriteOptions): Promise<void> {
    const path = this.path(key);
    throwIfAborted(options?.signal);
    const temp = `${path}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
    try {
      await mkdir(dirname(path), { recursive: true });
      await this.assertInsideRoot('write', key, path);
      await writeFile(temp, data, { signal: options?.signal });
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throwIfAborted(options?.signal);
      if (error instanceof StoreError) throw error;
      throw new WriteError(`Cannot write ${key} in ${this.root}: ${(error as Error).message}`, -1, { cause: error });
    }
  }

  async delete(key: string, options?: ReadOptions): Promise<void> {
    throwIfAborted(options?.signal);
    const path = this.path(key);
    try {
      await this.assertInsideRoot('delete', key, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    await rm(path, { force: true });
  }

  async *list(prefix = '', options?: ReadOptions): AsyncIterable<string> {
    let entries: string[];
    try {
      entries = await readdir(this.root, { recursive: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      throwIfAborted(options?.signal);
      const key = entry.split(sep).join('/');
      if (key.endsWith(TEMP_SUFFIX) || !key.startsWith(prefix)) continue;
      const info = await stat(join(this.root, entry)).catch(() => undefined);
      if (info?.isFile()) yield key;
    }
  }

  private path(key: string): string {
    assertSafeKey(key);
    const path = join(this.root, ...key.split('/'));
    if (relative(this.root, path).startsWith('..')) throw new InvalidArgumentError(`Invalid object key "${key}"`);
    return path;
  }

  /**
   * A layer folder that is a symbolic link would take writes out of the dataset: the object's
   * folder must resolve inside the root. (The object itself may be a link: the rename replaces
   * the link, never its target.)
   */
  private async assertInsideRoot(verb: 'write' | 'delete', key: string, path: string): Promise<void> {
    const root = (this.realRoot ??= await realpath(this.root));
    const folder = await realpath(dirname(path));
    const inside = relative(root, folder);
    if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
      throw new WriteError(`Cannot ${verb} ${key} in ${this.root}: its folder is a symbolic link to ${folder}, outside the dataset`, -1);
    }
  }

  private missingOrThrow(error: unknown, key: string, options?: ReadOptions): undefined {
    throwIfAborted(options?.signal);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    if ((error as Error).name === 'AbortError') throw new CanceledError();
    throw new StoreError(`Cannot read ${key} in ${this.root}: ${(error as Error).message}`, -1, { cause: error });
  }
}
