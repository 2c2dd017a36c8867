// The per-chunk record a dataset keeps beside each chunk object (format sheet 1.4, 6.3): the
// 8-byte VolumeDataHash, and for wavelet layers the 16 adaptive-level bytes after it. Object stores
// carry it base64-encoded in the `vdschunkmetadata` user metadata of the chunk object; a `.vds`
// file keeps it in the chunk's index entry.
import { WAVELET_ADAPTIVE_LEVELS } from '../../src/model/adaptiveLevels.js';
import type { ChunkMetadata } from '../../src/engine/datasetStore.js';

export const HASH_RECORD_BYTES = 8;
export const WAVELET_RECORD_BYTES = HASH_RECORD_BYTES + WAVELET_ADAPTIVE_LEVELS;

export function encodeChunkRecord(metadata: ChunkMetadata, isWavelet: boolean): Uint8Array {
  const record = new Uint8Array(isWavelet ? WAVELET_RECORD_BYTES : HASH_RECORD_BYTES);
  new DataView(record.buffer).setBigUint64(0, metadata.hash, true);
  if (isWavelet) record.set(metadata.adaptiveLevels ?? new Uint8Array(WAVELET_ADAPTIVE_LEVELS), HASH_RECORD_BYTES);
  return record;
}

/** The record's metadata, with the object's size; `record` must be 8 or 24 bytes (checked by the caller). */
export function decodeChunkRecord(record: Uint8Array, serializedSize: number): ChunkMetadata {
  const hash = new DataView(record.buffer, record.byteOffset, HASH_RECORD_BYTES).getBigUint64(0, true);
  return record.length === WAVELET_RECORD_BYTES
    ? { hash, serializedSize, adaptiveLevels: record.slice(HASH_RECORD_BYTES) }
    : { hash, serializedSize };
}
