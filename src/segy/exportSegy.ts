// Dataset → SEG-Y from the stored SEGY metadata, Trace flags and SEGYTraceHeader channel, as OpenVDS's
// SEGYExport does: traces in the original primary-key order, samples re-encoded in the original format.
import { open as openFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { throwIfAborted } from '../async/abort.js';
import { redactUrl } from '../../sources/stores/redact.js';
import type { IOManager } from '../api/ioManager.js';
import { close, getAccessManager, getLayout, open } from '../api/entryPoints.js';
import { DimensionsND, VolumeDataFormat } from '../model/enums.js';
import { CanceledError, InvalidArgumentError, ReadError, SegyFormatError } from '../model/errors.js';
import type { VolumeDataLayout } from '../model/layout/volumeDataLayout.js';
import { KnownMetadata } from '../model/metadata/knownMetadata.js';
import { MetadataType } from '../model/metadata/metadataKey.js';
import { BINARY_HEADER_SIZE, BinaryHeaderFields, Endianness, readHeaderField, TEXTUAL_HEADER_SIZE, TRACE_HEADER_SIZE } from './headerField.js';
import { encodeSamples, formatName, formatSize, isDecodableFormat } from './sampleFormat.js';

export interface ExportSegyOptions {
  connectionString?: string;
  /** Bytes of traces requested at once for 2D lines (3D data goes one line at a time). */
  maxBatchBytes?: number;
  onProgress?: (fraction: number) => void;
  /**
   * Aborting cancels the reads in flight and rejects with CanceledError. The output appears (or
   * replaces the file there) only once whole: a failed or aborted export leaves it as it was.
   */
  signal?: AbortSignal;
}

export interface ExportSegyResult {
  readonly tracesWritten: number;
  readonly bytesWritten: number;
}

function blob(layout: VolumeDataLayout, category: string, name: string): Uint8Array | undefined {
  return layout.isMetadataAvailable(MetadataType.BLOB, category, name) ? layout.getMetadataBLOB(category, name) : undefined;
}

function integer(layout: VolumeDataLayout, category: string, name: string): number | undefined {
  return layout.isMetadataAvailable(MetadataType.Int, category, name) ? layout.getMetadataInt(category, name) : undefined;
}

function channelIndex(layout: VolumeDataLayout, name: string, url: string): number {
  for (let c = 0; c < layout.getChannelCount(); c++) if (layout.getChannelName(c) === name) return c;
  throw new InvalidArgumentError(`${url} has no "${name}" channel; only datasets imported from SEG-Y can be exported`);
}

let partialFiles = 0;

/** `dir/.name.rxvds-partial-<pid>-<n>`: hidden, beside `path`, unique in this process. */
function partialFileBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.rxvds-partial-${process.pid}-${++partialFiles}`);
}

export async function exportSegy(source: string | IOManager, outputPath: string, options: ExportSegyOptions = {}): Promise<ExportSegyResult> {
  const { signal } = options;
  throwIfAborted(signal);
  const url = typeof source === 'string' ? redactUrl(source) : source.description;
  const dataset = await open(source, options.connectionString ?? '');
  try {
    const layout = getLayout(dataset);
    const segy = KnownMetadata.categorySEGY();
    const textHeader = blob(layout, segy, 'TextHeader');
    const binaryHeader = blob(layout, segy, 'BinaryHeader');
    if (!textHeader || !binaryHeader) throw new InvalidArgumentError(`${url} has no SEG-Y textual/binary header metadata (SEGY TextHeader, BinaryHeader)`);
    if (textHeader.length !== TEXTUAL_HEADER_SIZE || binaryHeader.length !== BINARY_HEADER_SIZE) {
      throw new SegyFormatError(`${url}: the stored SEG-Y headers are ${textHeader.length} and ${binaryHeader.length} bytes, not ${TEXTUAL_HEADER_SIZE} and ${BINARY_HEADER_SIZE}`);
    }
    const headerEndianness: Endianness = integer(layout, segy, 'Endianness') === 1 ? Endianness.LittleEndian : Endianness.BigEndian;
    const storedDataEndianness = integer(layout, segy, 'DataEndianness');
    const dataEndianness: Endianness = storedDataEndianness === undefined ? headerEndianness : storedDataEndianness === 1 ? Endianness.LittleEndian : Endianness.BigEndian;
    const code = integer(layout, segy, 'DataSampleFormatCode') ?? readHeaderField(binaryHeader, BinaryHeaderFields.dataSampleFormatCode, headerEndianness);
    if (!isDecodableFormat(code)) throw new SegyFormatError(`${url}: cannot write SEG-Y data sample format ${formatName(code)}`);
    const flagChannel = channelIndex(layout, 'Trace', url);
    const headerChannel = channelIndex(layout, 'SEGYTraceHeader', url);

    const dims = layout.getDimensionality();
    const primaryName = layout.isMetadataAvailable(MetadataType.String, segy, 'PrimaryKey') ? layout.getMetadataString(segy, 'PrimaryKey') : '';
    let outer = dims - 1;
    for (let d = 1; d < dims; d++) if (layout.getAxisDescriptor(d).getName() === primaryName) outer = d;
    const sampleCount = layout.getDimensionNumSamples(0);
    const traceDataSize = sampleCount * formatSize(code);
    const numSamples = Array.from({ length: dims }, (_, d) => layout.getDimensionNumSamples(d));
    const outerCount = numSamples[outer]!;
    // A 2D line has no dimension besides the outer one: request it in bounded runs of traces.
    const width = dims === 2 ? Math.max(1, Math.floor((options.maxBatchBytes ?? 16 * 1024 * 1024) / (sampleCount * 8 + TRACE_HEADER_SIZE))) : 1;
    const dimensionsND = dims === 2 ? DimensionsND.Dimensions_01 : DimensionsND.Dimensions_012;
    const manager = getAccessManager(dataset);

    // Written beside the output and renamed over it at the end (same folder, so the rename is
    // atomic): a failed or aborted export leaves a file that was there as it was.
    const partialPath = partialFileBeside(outputPath);
    const file = await openFile(partialPath, 'wx');
    let position = 0;
    let traces = 0;
    let written = false;
    try {
      const write = async (bytes: Uint8Array): Promise<void> => {
        await file.write(bytes, 0, bytes.length, position);
        position += bytes.length;
      };
      await write(textHeader);
      await write(binaryHeader);
      const extended = blob(layout, segy, 'ExtendedTextHeader');
      if (extended) await write(extended);

      for (let line = 0; line < outerCount; line += width) {
        throwIfAborted(signal);
        const min = new Array<number>(dims).fill(0);
        const max = [...numSamples];
        min[outer] = line;
        max[outer] = Math.min(outerCount, line + width);
        const request = (channel: number, samples: number, format: VolumeDataFormat) => {
          const r = manager.requestVolumeSubset(min, [samples, ...max.slice(1)], { channel, format, dimensionsND });
          const cancel = () => r.cancel();
          signal?.addEventListener('abort', cancel, { once: true });
          return r.waitForCompletion().then((ok) => {
            signal?.removeEventListener('abort', cancel);
            throwIfAborted(signal);
            if (!ok) throw new ReadError(`reading ${layout.getChannelName(channel)} of ${url} for line ${line} failed: ${r.errorMessage}`, r.errorCode);
            return r.data;
          });
        };
        const [amplitude, flags, headers] = await Promise.all([
          // As values, not stored codes: exact for every Amplitude format (U8/U16 codes with their integer
          // offset, R32, R64), so integer samples come back as the original integers.
          request(0, sampleCount, VolumeDataFormat.Format_R64) as Promise<Float64Array>,
          request(flagChannel, 1, VolumeDataFormat.Format_U8) as Promise<Uint8Array>,
          request(headerChannel, TRACE_HEADER_SIZE, VolumeDataFormat.Format_U8) as Promise<Uint8Array>,
        ]);
        const count = flags.length;
        const active = flags.reduce((n, f) => n + (f ? 1 : 0), 0);
        const out = new Uint8Array(active * (TRACE_HEADER_SIZE + traceDataSize));
        let at = 0;
        for (let t = 0; t < count; t++) {
          if (!flags[t]) continue;
          out.set(headers.subarray(t * TRACE_HEADER_SIZE, (t + 1) * TRACE_HEADER_SIZE), at);
          encodeSamples(amplitude.subarray(t * sampleCount, (t + 1) * sampleCount), code, dataEndianness, out.subarray(at + TRACE_HEADER_SIZE));
          at += TRACE_HEADER_SIZE + traceDataSize;
        }
        await write(out);
        traces += active;
        options.onProgress?.(Math.min(1, (line + width) / outerCount));
      }
      await file.close();
      throwIfAborted(signal);
      await rename(partialPath, outputPath);
      written = true;
    } catch (error) {
      if (signal?.aborted) throw new CanceledError();
      throw error;
    } finally {
      await file.close().catch(() => undefined);
      if (!written) await rm(partialPath, { force: true });
    }
    return { tracesWritten: traces, bytesWritten: position };
  } finally {
    await close(dataset, false);
  }
}
