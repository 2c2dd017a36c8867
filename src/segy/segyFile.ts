// A SEG-Y file opened for reading: its headers, trace layout, and bounded positional reads of traces.
// The bytes come from a local file or from an object in any store (s3://, azure://, https://, …)
// through ranged reads, so a file in the cloud is imported without a download first.
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../sources/stores/openStore.js';
import { objectInfo } from '../../sources/stores/store.js';
import { redactUrl } from '../../sources/stores/redact.js';
import { errorMessage, InvalidArgumentError, NotFoundError, ReadError, SegyFormatError } from '../model/errors.js';
import { type BinaryHeaderInfo, parseBinaryHeader } from './binaryHeader.js';
import {
  BINARY_HEADER_SIZE, Endianness, readHeaderField, readUnsignedHeaderField, scaleFactor, TEXTUAL_HEADER_SIZE,
  TRACE_HEADER_SIZE, TraceHeaderFields,
} from './headerField.js';
import { DataSampleFormatCode, formatSize } from './sampleFormat.js';
import { isEndTextStanza } from './textHeader.js';

export interface SEGYOpenOptions {
  /** Byte order of the headers; detected from the binary header when omitted. */
  headerEndianness?: Endianness;
  /** Byte order of the samples when it differs from the headers (a non-standard variant). */
  dataEndianness?: Endianness;
  /** Overrides the format code of the binary header. */
  dataSampleFormatCode?: DataSampleFormatCode;
  /** Connection string of the store a SEG-Y URL names (OpenVDS: --input-connection). */
  inputConnectionString?: string;
}

/** Positional reads of a SEG-Y file's bytes, wherever they are. */
interface ByteSource {
  readonly size: number;
  readonly lastWriteTime: Date;
  /** `length` bytes at `position`, into `target` when given; fewer bytes are an error. */
  read(position: number, length: number, target?: Uint8Array): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** A variable-count extended textual header list ends within this many headers or the file is refused. */
const MAX_EXTENDED_HEADERS = 10000;
/** Upper bound on one positional read, so that callers never hold more than this per call. */
const MAX_READ_BYTES = 64 * 1024 * 1024;

export class SEGYFile {
  private constructor(
    readonly path: string,
    private readonly source: ByteSource,
    readonly fileSize: number,
    readonly lastWriteTime: Date,
    readonly textHeader: Uint8Array,
    readonly extendedTextHeaders: readonly Uint8Array[],
    readonly binaryHeader: Uint8Array,
    readonly binaryHeaderInfo: BinaryHeaderInfo,
    readonly dataEndianness: Endianness,
    readonly dataSampleFormatCode: DataSampleFormatCode,
    readonly sampleCount: number,
    /** Microseconds (or depth units ×1000) between samples. */
    readonly sampleInterval: number,
    /**
     * Time (or depth) of the first sample in milliseconds, from the first trace's delay and time scalar
     * (bytes 215-216, which SEG-Y rev 1 applies to the delay; SEGYImport ignores the scalar).
     */
    readonly startTime: number,
    readonly dataOffset: number,
    readonly traceByteSize: number,
    readonly traceCount: number,
  ) {}

  get headerEndianness(): Endianness { return this.binaryHeaderInfo.endianness; }
  get name(): string { return basename(this.path.replace(/[?#].*$/, '')); }
  get sampleIntervalMilliseconds(): number { return this.sampleInterval / 1000; }

  /** A local path (or file:// URL), or the URL of an object in a store: `s3://bucket/dir/f.sgy`, `https://host/f.sgy`. */
  static async open(path: string, options: SEGYOpenOptions = {}): Promise<SEGYFile> {
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(path)?.[1]?.toLowerCase();
    const source = scheme === undefined || scheme === 'file'
      ? await fileSource(scheme ? fileURLToPath(path) : path)
      : await storeSource(path, options.inputConnectionString ?? '');
    try {
      return await SEGYFile.read(path, source, options);
    } catch (error) {
      await source.close();
      throw error;
    }
  }

  private static async read(path: string, source: ByteSource, options: SEGYOpenOptions): Promise<SEGYFile> {
    const fileSize = source.size;
    const name = basename(path.replace(/[?#].*$/, ''));
    const fileHeaderSize = TEXTUAL_HEADER_SIZE + BINARY_HEADER_SIZE;
    if (fileSize < fileHeaderSize) {
      throw new SegyFormatError(`${name}: ${fileSize} bytes is shorter than the ${fileHeaderSize}-byte SEG-Y textual and binary headers`);
    }
    const head = await source.read(0, fileHeaderSize);
    const textHeader = head.slice(0, TEXTUAL_HEADER_SIZE);
    const binaryHeader = head.slice(TEXTUAL_HEADER_SIZE);
    let info: BinaryHeaderInfo;
    try {
      info = parseBinaryHeader(binaryHeader, options.headerEndianness);
    } catch (error) {
      throw new SegyFormatError(`${name}: ${errorMessage(error)}`, { cause: error });
    }
    const extendedTextHeaders = await readExtendedHeaders(source, info.extendedTextualHeaderCount, fileSize, name);
    const dataOffset = fileHeaderSize + extendedTextHeaders.length * TEXTUAL_HEADER_SIZE;
    const dataSampleFormatCode = options.dataSampleFormatCode ?? info.dataSampleFormatCode;
    const sampleSize = formatSize(dataSampleFormatCode);
    const dataEndianness = options.dataEndianness ?? info.endianness;

    const firstTrace = fileSize > dataOffset ? await source.read(dataOffset, Math.min(TRACE_HEADER_SIZE, fileSize - dataOffset)) : undefined;
    if (firstTrace && firstTrace.length < TRACE_HEADER_SIZE) {
      throw new SegyFormatError(`${name}: truncated: ${firstTrace.length} bytes after the file headers cannot hold a ${TRACE_HEADER_SIZE}-byte trace header`);
    }
    const traceHeaderCount = firstTrace ? readUnsignedHeaderField(firstTrace, TraceHeaderFields.numsamples, info.endianness) : 0;
    const sampleCount = info.sampleCount || traceHeaderCount;
    const traceHeaderInterval = firstTrace ? readUnsignedHeaderField(firstTrace, TraceHeaderFields.sampleinterval, info.endianness) : 0;
    const sampleInterval = info.sampleInterval || traceHeaderInterval;
    const startTime = firstTrace
      ? readHeaderField(firstTrace, TraceHeaderFields.starttime, info.endianness) *
        scaleFactor(readHeaderField(firstTrace, TraceHeaderFields.timescalar, info.endianness))
      : 0;

    const traceByteSize = TRACE_HEADER_SIZE + sampleCount * sampleSize;
    const dataBytes = fileSize - dataOffset;
    if (dataBytes > 0 && sampleCount === 0) {
      throw new SegyFormatError(`${name}: the sample count is 0 in both the binary header (bytes 3221-3222) and the first trace header (bytes 115-116)`);
    }
    if (dataBytes % traceByteSize !== 0) {
      const whole = Math.floor(dataBytes / traceByteSize);
      throw new SegyFormatError(`${name}: truncated or inconsistent: ${dataBytes} bytes of traces after byte ${dataOffset} are ${whole} traces of ` +
        `${traceByteSize} bytes (240-byte header + ${sampleCount} samples × ${sampleSize} bytes) and ${dataBytes - whole * traceByteSize} bytes over`);
    }
    return new SEGYFile(path, source, fileSize, source.lastWriteTime, textHeader, extendedTextHeaders, binaryHeader, info, dataEndianness,
      dataSampleFormatCode, sampleCount, sampleInterval, startTime, dataOffset, traceByteSize, dataBytes / traceByteSize);
  }

  traceOffset(trace: number): number {
    this.checkTraceRange(trace, 1);
    return this.dataOffset + trace * this.traceByteSize;
  }

  async readTraceHeader(trace: number): Promise<Uint8Array> {
    return this.source.read(this.traceOffset(trace), TRACE_HEADER_SIZE);
  }

  /** `count` whole traces (header + samples each) from `first`, in one read of at most MAX_READ_BYTES. */
  async readTraces(first: number, count: number, target?: Uint8Array): Promise<Uint8Array> {
    this.checkTraceRange(first, count);
    const length = count * this.traceByteSize;
    if (length > MAX_READ_BYTES) throw new InvalidArgumentError(`${this.name}: reading ${count} traces (${length} bytes) at once exceeds the ${MAX_READ_BYTES}-byte read limit`);
    return this.source.read(this.dataOffset + first * this.traceByteSize, length, target);
  }

  /** Traces `[first, end)` in batches of at most `maxBatchBytes` (at least one trace per batch). */
  async *traceBatches(first = 0, end = this.traceCount, maxBatchBytes = 8 * 1024 * 1024): AsyncGenerator<{ first: number; count: number; bytes: Uint8Array }> {
    const perBatch = Math.max(1, Math.floor(Math.min(maxBatchBytes, MAX_READ_BYTES) / this.traceByteSize));
    for (let trace = first; trace < end; trace += perBatch) {
      const count = Math.min(perBatch, end - trace);
      yield { first: trace, count, bytes: await this.readTraces(trace, count) };
    }
  }

  async close(): Promise<void> {
    await this.source.close();
  }

  private checkTraceRange(first: number, count: number): void {
    if (!Number.isInteger(first) || !Number.isInteger(count) || first < 0 || count < 0 || first + count > this.traceCount) {
      throw new InvalidArgumentError(`${this.name}: traces ${first}..${first + count - 1} are outside the file's ${this.traceCount} traces`);
    }
  }
}

async function fileSource(path: string): Promise<ByteSource> {
  const name = basename(path);
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new NotFoundError(`cannot open SEG-Y file ${path}: no such file`, { cause: error });
    throw new ReadError(`cannot open SEG-Y file ${path}: ${error.message}`, -1, { cause: error });
  });
  const stats = await handle.stat().catch(async (error: unknown) => { await handle.close(); throw error; });
  return {
    size: stats.size,
    lastWriteTime: stats.mtime,
    async read(position, length, target) {
      const buffer = target && target.length >= length ? target.subarray(0, length) : new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
        if (bytesRead === 0) throw new ReadError(`${name}: unexpected end of file reading ${length} bytes at byte ${position}`);
        done += bytesRead;
      }
      return buffer;
    },
    close: () => handle.close(),
  };
}

/**
 * The object a URL names, read by ranges from the store of its folder. A store does not report
 * when an object was written, so the import time stands in for the input's time stamp.
 */
async function storeSource(url: string, connectionString: string): Promise<ByteSource> {
  const query = url.search(/[?#]/);
  const path = query < 0 ? url : url.slice(0, query);
  const slash = path.lastIndexOf('/');
  const key = path.slice(slash + 1);
  const printable = redactUrl(url);
  if (key === '' || slash <= path.indexOf('://') + 2) throw new InvalidArgumentError(`${printable} does not name a SEG-Y file (expected …/NAME.sgy)`);
  const { store } = openStore(path.slice(0, slash) + (query < 0 ? '' : url.slice(query)), connectionString);
  try {
    const info = await objectInfo(store, key);
    if (!info) throw new NotFoundError(`cannot open SEG-Y file ${printable}: no such object`);
    if (!store.getRange) throw new InvalidArgumentError(`cannot open SEG-Y file ${printable}: its store has no ranged reads`);
    const getRange = store.getRange.bind(store);
    return {
      size: info.size,
      lastWriteTime: new Date(),
      async read(position, length, target) {
        const bytes = length === 0 ? new Uint8Array(0) : await getRange(key, { offset: position, length });
        if (!bytes || bytes.length !== length) {
          throw new ReadError(`${key}: unexpected end of object reading ${length} bytes at byte ${position} (got ${bytes?.length ?? 0})`);
        }
        if (!target || target.length < length) return bytes;
        target.set(bytes);
        return target.subarray(0, length);
      },
      close: async () => { await store.close?.(); },
    };
  } catch (error) {
    await store.close?.();
    throw error;
  }
}

async function readExtendedHeaders(source: ByteSource, declared: number, fileSize: number, name: string): Promise<Uint8Array[]> {
  const first = TEXTUAL_HEADER_SIZE + BINARY_HEADER_SIZE;
  if (declared < -1) throw new SegyFormatError(`${name}: the extended textual header count (bytes 3505-3506) is ${declared}; it must be -1 or ≥ 0`);
  if (declared >= 0) {
    const end = first + declared * TEXTUAL_HEADER_SIZE;
    if (end > fileSize) {
      throw new SegyFormatError(`${name}: truncated: the binary header declares ${declared} extended textual headers (${declared * TEXTUAL_HEADER_SIZE} bytes) ` +
        `but the file ends at byte ${fileSize}`);
    }
    const headers: Uint8Array[] = [];
    for (let i = 0; i < declared; i++) headers.push(await source.read(first + i * TEXTUAL_HEADER_SIZE, TEXTUAL_HEADER_SIZE));
    return headers;
  }
  const headers: Uint8Array[] = [];
  for (let position = first; headers.length < MAX_EXTENDED_HEADERS; position += TEXTUAL_HEADER_SIZE) {
    if (position + TEXTUAL_HEADER_SIZE > fileSize) break;
    const header = await source.read(position, TEXTUAL_HEADER_SIZE);
    headers.push(header);
    if (isEndTextStanza(header)) return headers;
  }
  throw new SegyFormatError(`${name}: the binary header declares a variable number of extended textual headers but no ((SEG: EndText)) stanza was found`);
}
