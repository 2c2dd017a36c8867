// The HueBulkDataStore container of a `.vds` file (format sheet 6): named files, each an array of
// chunks addressed through index pages. Edits stay in memory until `commit`, which appends the
// changed index pages, page directories and the file table, then rewrites the header: every
// extent is copy-on-write, so a crash before the header write leaves the previous commit intact.
// Extents are only ever appended (never reused), which also keeps concurrent readers valid.
import { type FileHandle, open } from 'node:fs/promises';
import { InvalidArgumentError, NotFoundError, StoreError, WriteError } from '../../src/model/errors.js';
import { VdsFileError } from './errors.js';
import { readAt, writeAt } from './fileIO.js';
import { decodeFileTable, encodeFileTable, type FileHeader, fileNameLengthFor, FileType } from './fileTable.js';
import { DATASTORE_VERSION, type DataStoreHeader, decodeHeader, encodeHeader, HEADER_BYTES } from './header.js';
import { checkIndexEntry, type IndexEntry, indexEntryBytes, readIndexEntry, writeIndexEntry } from './indexPage.js';
import { checkExtent, decodePageDirectory, encodePageDirectory, indexPageCount, pageDirectoryBytes } from './pageDirectory.js';

interface IndexPage {
  bytes: Uint8Array;
  dirty: boolean;
}

/** The working state of one file of the container. */
export class ContainerFile {
  /** Loaded index pages (absent pages are created when first written). */
  readonly pages = new Map<number, Promise<IndexPage>>();
  dirty = false;

  constructor(
    /** `headPageDirectoryOffset` is that of the last commit (0 before the first). */
    readonly header: FileHeader,
    public fileMetadata: Uint8Array,
    /** Offsets of the committed index pages; 0 = absent. */
    readonly indexPageOffsets: number[],
  ) {}

  get name(): string { return this.header.name; }
  get chunkCount(): number { return this.header.headChunkCount; }
  get pageCount(): number { return this.indexPageOffsets.length; }

  hasPage(page: number): boolean {
    return this.indexPageOffsets[page] !== 0 || this.pages.has(page);
  }
}

export interface NewFile {
  name: string;
  fileType: number;
  chunkCount: number;
  indexPageEntryCount: number;
  chunkMetadataLength: number;
  fileMetadataLength: number;
}

export class BulkDataStore {
  private readonly files = new Map<string, ContainerFile>();
  /** The file table as it is on disk, in order. */
  private committed: FileHeader[];
  private header: DataStoreHeader;
  /** The end of the file: where the next extent goes. */
  private end: number;
  private writes = new Set<Promise<unknown>>();

  private constructor(private handle: FileHandle, readonly path: string, header: DataStoreHeader, committed: FileHeader[], end: number,
    private writable: boolean) {
    this.header = header;
    this.committed = committed;
    this.end = end;
  }

  /** Opens an existing container; `writable` opens it for update. */
  static async open(path: string, writable: boolean): Promise<BulkDataStore> {
    let handle: FileHandle;
    try {
      handle = await open(path, writable ? 'r+' : 'r');
    } catch (error) {
      const message = `Cannot open ${path}: ${(error as Error).message}`;
      throw (error as NodeJS.ErrnoException).code === 'ENOENT' ? new NotFoundError(message, { cause: error }) : new StoreError(message, -1, { cause: error });
    }
    try {
      const { header, files, size } = await readCommittedState(handle, path);
      const store = new BulkDataStore(handle, path, header, files, size, writable);
      for (const file of files) await store.loadFile(file);
      return store;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Creates an empty container, replacing any file at `path`. */
  static async create(path: string): Promise<BulkDataStore> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'w+');
    } catch (error) {
      throw new WriteError(`Cannot create ${path}: ${(error as Error).message}`, -1, { cause: error });
    }
    const header: DataStoreHeader = { version: DATASTORE_VERSION, fileTableOffset: 0, fileTableCount: 0, fileNameLength: 0 };
    const store = new BulkDataStore(handle, path, header, [], HEADER_BYTES, true);
    try {
      await writeAt(handle, encodeHeader(header), 0, 'the header', path);
      await handle.datasync();
    } catch (error) {
      await handle.close();
      throw error;
    }
    return store;
  }

  get isWritable(): boolean { return this.writable; }

  /**
   * Switches a container opened for reading to update, provided nobody committed since it was
   * read (its in-memory state would be stale).
   */
  async enableWriting(): Promise<void> {
    if (this.writable) return;
    const handle = await open(this.path, 'r+').catch((error: Error) => {
      throw new WriteError(`Cannot open ${this.path} for writing: ${error.message}`, -1, { cause: error });
    });
    try {
      const current = await readAt(handle, 0, HEADER_BYTES, 'the header', this.path);
      if (Buffer.compare(current, encodeHeader(this.header)) !== 0) {
        throw new WriteError(`Cannot write ${this.path}: another writer committed to it since it was opened; open it again`);
      }
    } catch (error) {
      await handle.close();
      throw error;
    }
    await this.handle.close();
    this.handle = handle;
    this.end = (await handle.stat()).size;
    this.writable = true;
  }

  list(): ContainerFile[] {
    return [...this.files.values()];
  }

  file(name: string): ContainerFile | undefined {
    return this.files.get(name);
  }

  /**
   * A new, empty file; replaces the working state of a file with the same name. Only the working
   * state changes, so a container opened for reading may add files it writes later.
   */
  addFile(spec: NewFile): ContainerFile {
    const header: FileHeader = {
      name: spec.name, headPageDirectoryOffset: 0, headChunkCount: spec.chunkCount, headRevisionNumber: 0,
      indexPageEntryCount: spec.indexPageEntryCount, fileType: spec.fileType,
      chunkMetadataLength: spec.chunkMetadataLength, fileMetadataLength: spec.fileMetadataLength,
    };
    const file = new ContainerFile(header, new Uint8Array(spec.fileMetadataLength),
      new Array<number>(indexPageCount(spec.chunkCount, spec.indexPageEntryCount)).fill(0));
    file.dirty = true;
    this.files.set(spec.name, file);
    return file;
  }

  async readIndexEntry(file: ContainerFile, chunk: number): Promise<IndexEntry> {
    const { page, entry } = this.locate(file, chunk);
    if (!file.hasPage(page)) return { offset: 0, length: 0, metadata: new Uint8Array(file.header.chunkMetadataLength) };
    return readIndexEntry((await this.indexPage(file, page)).bytes, entry, file.header.chunkMetadataLength);
  }

  /** The raw bytes of an index page, or undefined when the page is absent. */
  async readIndexPage(file: ContainerFile, page: number): Promise<Uint8Array | undefined> {
    if (!file.hasPage(page)) return undefined;
    return (await this.indexPage(file, page)).bytes;
  }

  /** Replaces a chunk's entry and returns the one it had, in one step (concurrent writes each see their predecessor). */
  async writeIndexEntry(file: ContainerFile, chunk: number, value: IndexEntry): Promise<IndexEntry> {
    this.assertWritable();
    if (value.metadata.length !== file.header.chunkMetadataLength) {
      throw new InvalidArgumentError(`Chunk metadata for ${file.name} must be ${file.header.chunkMetadataLength} bytes, got ${value.metadata.length}`);
    }
    const { page, entry } = this.locate(file, chunk);
    const state = await this.indexPage(file, page);
    const old = readIndexEntry(state.bytes, entry, file.header.chunkMetadataLength);
    writeIndexEntry(state.bytes, entry, value);
    state.dirty = true;
    file.dirty = true;
    return old;
  }

  /** Makes a page absent: all its chunks read as never written. */
  dropIndexPage(file: ContainerFile, page: number): void {
    this.assertWritable();
    if (!file.hasPage(page)) return;
    file.pages.delete(page);
    file.indexPageOffsets[page] = 0;
    file.dirty = true;
  }

  setFileMetadata(file: ContainerFile, metadata: Uint8Array): void {
    this.assertWritable();
    if (metadata.length !== file.header.fileMetadataLength) {
      throw new InvalidArgumentError(`File metadata for ${file.name} must be ${file.header.fileMetadataLength} bytes, got ${metadata.length}`);
    }
    file.fileMetadata = metadata.slice();
    file.dirty = true;
  }

  /** The first `length` bytes of an extent (all of it by default), into a buffer from `into` if given. */
  async readData(entry: { offset: number; length: number }, what: string, length = entry.length,
    into?: (size: number) => Uint8Array): Promise<Uint8Array> {
    const size = Math.max(0, Math.min(length, entry.length));
    const target = into?.(size) ?? new Uint8Array(size);
    if (size > 0) await readAt(this.handle, entry.offset, target, what, this.path);
    return target;
  }

  /** Writes a data extent at the end of the file and returns its offset. */
  async appendData(bytes: Uint8Array, what: string): Promise<number> {
    this.assertWritable();
    const offset = this.allocate(bytes.length);
    await this.track(writeAt(this.handle, bytes, offset, what, this.path));
    return offset;
  }

  /**
   * Makes the working state of `files` durable: index pages, page directories, then the file
   * table, synced, then the header, synced. Other files keep their last committed state.
   */
  async commit(files: readonly ContainerFile[]): Promise<void> {
    this.assertWritable();
    await Promise.allSettled([...this.writes]);
    const table = [...this.committed];
    for (const file of files.filter((f) => f.dirty)) {
      file.dirty = false;
      try {
        for (const [page, loading] of file.pages) {
          const state = await loading;
          if (!state.dirty) continue;
          state.dirty = false;
          const snapshot = state.bytes.slice();
          const offset = this.allocate(snapshot.length);
          try {
            await this.track(writeAt(this.handle, snapshot, offset, `index page ${page} of ${file.name}`, this.path));
          } catch (error) {
            state.dirty = true;
            throw error;
          }
          file.indexPageOffsets[page] = offset;
        }
        const directory = encodePageDirectory({ fileMetadata: file.fileMetadata, indexPageOffsets: file.indexPageOffsets });
        const offset = this.allocate(directory.length);
        await this.track(writeAt(this.handle, directory, offset, `the page directory of ${file.name}`, this.path));
        file.header.headPageDirectoryOffset = offset;
      } catch (error) {
        file.dirty = true;
        throw error;
      }
      const at = table.findIndex((f) => f.name === file.name);
      if (at === -1) table.push({ ...file.header });
      else table[at] = { ...file.header };
    }
    const fileNameLength = fileNameLengthFor(table, this.header.fileNameLength);
    const tableBytes = encodeFileTable(table, fileNameLength);
    const tableOffset = this.allocate(tableBytes.length);
    await writeAt(this.handle, tableBytes, tableOffset, 'the file table', this.path);
    await this.handle.datasync();
    const header: DataStoreHeader = { ...this.header, fileTableOffset: tableOffset, fileTableCount: table.length, fileNameLength };
    await writeAt(this.handle, encodeHeader(header), 0, 'the header', this.path);
    await this.handle.datasync();
    this.header = header;
    this.committed = table;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.writes]);
    await this.handle.close();
  }

  private async loadFile(header: FileHeader): Promise<void> {
    if (this.files.has(header.name)) return;   // like OpenVDS, the first file of a name wins
    const known = header.fileType === FileType.VDSLayer || header.fileType === FileType.JSONObject || header.fileType === FileType.HueObject;
    if (!known) return;   // kept in the table, never opened
    const what = `the page directory of "${header.name}"`;
    if (header.headPageDirectoryOffset === 0) throw new VdsFileError(this.path, `file "${header.name}" has no page directory`);
    const pageCount = indexPageCount(header.headChunkCount, header.indexPageEntryCount);
    const length = pageDirectoryBytes(header.fileMetadataLength, pageCount);
    checkExtent(header.headPageDirectoryOffset, length, this.end, what, this.path);
    const directory = decodePageDirectory(await readAt(this.handle, header.headPageDirectoryOffset, length, what, this.path),
      header.fileMetadataLength, pageCount, `"${header.name}"`, this.path);
    const pageBytes = header.indexPageEntryCount * indexEntryBytes(header.chunkMetadataLength);
    directory.indexPageOffsets.forEach((offset, page) => {
      if (offset !== 0) checkExtent(offset, pageBytes, this.end, `index page ${page} of "${header.name}"`, this.path);
    });
    this.files.set(header.name, new ContainerFile({ ...header }, directory.fileMetadata, directory.indexPageOffsets));
  }

  private indexPage(file: ContainerFile, page: number): Promise<IndexPage> {
    let loading = file.pages.get(page);
    if (!loading) {
      loading = this.loadIndexPage(file, page);
      file.pages.set(page, loading);
      loading.catch(() => { if (file.pages.get(page) === loading) file.pages.delete(page); });
    }
    return loading;
  }

  private async loadIndexPage(file: ContainerFile, page: number): Promise<IndexPage> {
    const { indexPageEntryCount, chunkMetadataLength } = file.header;
    const length = indexPageEntryCount * indexEntryBytes(chunkMetadataLength);
    const offset = file.indexPageOffsets[page]!;
    if (offset === 0) return { bytes: new Uint8Array(length), dirty: true };
    const bytes = await readAt(this.handle, offset, length, `index page ${page} of "${file.name}"`, this.path);
    for (let entry = 0; entry < indexPageEntryCount; entry++) {
      checkIndexEntry(readIndexEntry(bytes, entry, chunkMetadataLength), this.end,
        `chunk ${page * indexPageEntryCount + entry} of "${file.name}"`, this.path);
    }
    return { bytes, dirty: false };
  }

  private locate(file: ContainerFile, chunk: number): { page: number; entry: number } {
    if (!Number.isInteger(chunk) || chunk < 0 || chunk >= file.chunkCount) {
      throw new InvalidArgumentError(`Chunk ${chunk} is outside "${file.name}" (${file.chunkCount} chunks) in ${this.path}`);
    }
    const perPage = file.header.indexPageEntryCount;
    return { page: Math.floor(chunk / perPage), entry: chunk % perPage };
  }

  private allocate(length: number): number {
    const offset = this.end;
    this.end += length;
    return offset;
  }

  private track<T>(write: Promise<T>): Promise<T> {
    this.writes.add(write);
    const forget = () => this.writes.delete(write);
    write.then(forget, forget);
    return write;
  }

  private assertWritable(): void {
    if (!this.writable) throw new WriteError(`Cannot write ${this.path}: it is open for reading only`);
  }
}

async function readCommittedState(handle: FileHandle, path: string): Promise<{ header: DataStoreHeader; files: FileHeader[]; size: number }> {
  const size = (await handle.stat()).size;
  const headerBytes = await readAt(handle, 0, Math.min(size, HEADER_BYTES), 'the header', path);
  const header = decodeHeader(headerBytes, size, path);
  if (header.fileTableCount === 0) return { header, files: [], size };
  const tableBytes = await readAt(handle, header.fileTableOffset, header.fileTableCount * (32 + header.fileNameLength), 'the file table', path);
  return { header, files: decodeFileTable(tableBytes, header.fileTableCount, header.fileNameLength, path), size };
}
