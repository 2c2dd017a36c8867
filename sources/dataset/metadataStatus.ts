// A layer's chunk counters (LayerStatus `validChunkCount`, `serializedSize`, `uncompressedSize`,
// `adaptiveLevelSizes`) follow each chunk write as OpenVDS's MetadataManager::UpdateMetadataStatus
// keeps them; both dataset implementations call this one rule.
import { accumulateAdaptiveLevelSizes } from '../../src/model/adaptiveLevels.js';
import { isConstantOrNoValueHash, isDefinedHash } from '../../src/codecs/volumeDataHash.js';
import type { ChunkMetadataStatus } from '../../src/model/layout/layerStatus.js';
import type { ChunkMetadata } from '../../src/engine/datasetStore.js';

/**
 * Updates `status` for chunk `next` replacing `old` (hash 0 = there was none). Constant chunks
 * count as valid but add no bytes. Wavelet layers count every write and take back the chunk it
 * replaces; hash-only layers count a chunk once, when first written (what OpenVDS does).
 */
export function recordChunkWrite(status: ChunkMetadataStatus, isWavelet: boolean, old: ChunkMetadata, next: ChunkMetadata,
  serializedSize: number, uncompressedSize: number): void {
  const count = (sign: 1 | -1, entry: ChunkMetadata, serialized: number) => {
    const constant = isConstantOrNoValueHash(entry.hash);
    const bytes = constant ? 0 : serialized;
    if (status.validChunkCount !== undefined) status.validChunkCount += sign;
    if (status.serializedSize !== undefined) status.serializedSize += sign * bytes;
    status.uncompressedSize += sign * (constant ? 0 : uncompressedSize);
    if (isWavelet && !constant && entry.adaptiveLevels) accumulateAdaptiveLevelSizes(bytes, status.adaptiveLevelSizes, entry.adaptiveLevels, sign < 0);
  };
  if (isWavelet) {
    if (isDefinedHash(next.hash)) count(+1, next, serializedSize);
    if (isDefinedHash(old.hash)) count(-1, old, old.serializedSize ?? 0);
  } else if (isDefinedHash(next.hash) && !isDefinedHash(old.hash)) {
    count(+1, next, serializedSize);
  }
}
