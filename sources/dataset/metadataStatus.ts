// A layer's counters (validChunkCount, serializedSize, uncompressedSize, adaptiveLevelSizes) as
// OpenVDS's MetadataManager::UpdateMetadataStatus keeps them while chunks are written: one rule for
// every dataset, whatever holds its chunk metadata.
import { isConstantHash, isNoValueHash, UNKNOWN_HASH } from '../../src/codecs/volumeDataHash.js';
import type { ChunkMetadata } from '../../src/engine/datasetStore.js';
import { accumulateAdaptiveLevelSizes } from '../../src/model/adaptiveLevels.js';
import { type ChunkMetadataStatus, WAVELET_ENTRY_BYTES } from '../../src/model/layout/layerStatus.js';

/**
 * Counts the write of `next` over `old` (the chunk's previous metadata, hash 0 if never written).
 * Wavelet layers subtract the old chunk's sizes and add the new one's; the others know no old
 * size, so they only count a chunk written for the first time. Constant and no-value chunks count
 * as valid chunks of no bytes.
 */
export function recordChunkWrite(status: ChunkMetadataStatus, old: ChunkMetadata, next: ChunkMetadata,
  serializedSize: number, uncompressedSize: number): void {
  const count = (sign: 1 | -1, chunk: ChunkMetadata, size: number) => {
    const empty = isConstantHash(chunk.hash) || isNoValueHash(chunk.hash);
    if (status.validChunkCount !== undefined) status.validChunkCount += sign;
    if (empty) return;
    if (status.serializedSize !== undefined) status.serializedSize += sign * size;
    status.uncompressedSize += sign * uncompressedSize;
    if (chunk.adaptiveLevels) accumulateAdaptiveLevelSizes(size, status.adaptiveLevelSizes, chunk.adaptiveLevels, sign < 0);
  };
  if (status.chunkMetadataByteSize === WAVELET_ENTRY_BYTES) {
    if (next.hash !== UNKNOWN_HASH) count(+1, next, serializedSize);
    if (old.hash !== UNKNOWN_HASH) count(-1, old, old.serializedSize ?? 0);
  } else if (next.hash !== UNKNOWN_HASH && old.hash === UNKNOWN_HASH) {
    count(+1, { hash: next.hash }, serializedSize);
  }
}
