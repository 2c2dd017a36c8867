// A layer of a `.vds` dataset is a 'VDS ' file named after it (format sheet 6.2, 7.3): one index
// entry per chunk (its extent and its 8-byte hash, plus 16 adaptive-level bytes in wavelet layers)
// and file metadata holding the compression and the layer's counters. This is where those files
// meet the dataset layer's words: layer status and chunk metadata.
import type { ChunkMetadata } from '../../src/engine/datasetStore.js';
import type { CompressionMethod } from '../../src/model/enums.js';
import { type ChunkMetadataStatus, HASH_ENTRY_BYTES, WAVELET_ENTRY_BYTES } from '../../src/model/layout/layerStatus.js';
import { decodeChunkRecord, HASH_RECORD_BYTES, WAVELET_RECORD_BYTES } from '../dataset/chunkRecord.js';
import type { ContainerFile, NewFile } from './bulkDataStore.js';
import { VdsFileError } from './errors.js';
import { FileType } from './fileTable.js';
import type { IndexEntry } from './indexPage.js';
import {
  decodeLayerMetadata, encodeLayerMetadata, isKnownCompressionMethod, LAYER_METADATA_BYTES,
  WAVELET_LAYER_METADATA_BYTES,
} from './layerMetadata.js';

/** What a layer file records about its layer: its compression and counters. */
export interface LayerFileState {
  compressionMethod: CompressionMethod;
  /** f32 */
  compressionTolerance: number;
  status: ChunkMetadataStatus;
}

/** OpenVDS's layerChunksWaveletAdaptive: the metadata lengths say whether chunks carry adaptive levels. */
export function isWaveletLayerFile(file: ContainerFile): boolean {
  return file.header.chunkMetadataLength === WAVELET_RECORD_BYTES && file.header.fileMetadataLength === WAVELET_LAYER_METADATA_BYTES;
}

/** Reads a layer file's metadata; a VdsFileError when its lengths or compression method are not OpenVDS's. */
export function readLayerFile(file: ContainerFile, path: string): LayerFileState {
  const { chunkMetadataLength: cml, fileMetadataLength: fml } = file.header;
  const wavelet = isWaveletLayerFile(file);
  if (!wavelet && !(cml === HASH_RECORD_BYTES && fml === LAYER_METADATA_BYTES)) {
    throw new VdsFileError(path, `layer file "${file.name}" has ${cml}-byte chunk metadata and ${fml}-byte file metadata ` +
      `(expected ${HASH_RECORD_BYTES}/${LAYER_METADATA_BYTES}, or ${WAVELET_RECORD_BYTES}/${WAVELET_LAYER_METADATA_BYTES} for wavelet layers)`);
  }
  const metadata = decodeLayerMetadata(file.fileMetadata);
  if (!isKnownCompressionMethod(metadata.compressionMethod)) {
    throw new VdsFileError(path, `layer file "${file.name}" has unknown compression method ${metadata.compressionMethod}`);
  }
  return {
    compressionMethod: metadata.compressionMethod,
    compressionTolerance: metadata.compressionTolerance,
    status: {
      chunkCount: file.chunkCount,
      chunkMetadataPageSize: file.header.indexPageEntryCount,
      chunkMetadataByteSize: wavelet ? WAVELET_ENTRY_BYTES : HASH_ENTRY_BYTES,
      validChunkCount: metadata.validChunkCount,
      uncompressedSize: metadata.uncompressedSize,
      adaptiveLevelSizes: metadata.adaptiveLevelSizes,
    },
  };
}

/** The file a new layer gets (OpenVDS's AddLayer): metadata lengths follow from its chunks being wavelet or not. */
export function newLayerFile(name: string, chunkCount: number, chunkMetadataPageSize: number, wavelet: boolean): NewFile {
  return {
    name, fileType: FileType.VDSLayer, chunkCount, indexPageEntryCount: chunkMetadataPageSize,
    chunkMetadataLength: wavelet ? WAVELET_RECORD_BYTES : HASH_RECORD_BYTES,
    fileMetadataLength: wavelet ? WAVELET_LAYER_METADATA_BYTES : LAYER_METADATA_BYTES,
  };
}

/** The file metadata for a layer's current state (the counters a non-wavelet layer file has room for: validChunkCount). */
export function layerFileMetadata(state: LayerFileState, wavelet: boolean): Uint8Array {
  return encodeLayerMetadata({
    compressionMethod: state.compressionMethod,
    compressionTolerance: state.compressionTolerance,
    validChunkCount: state.status.validChunkCount ?? 0,
    uncompressedSize: state.status.uncompressedSize,
    adaptiveLevelSizes: state.status.adaptiveLevelSizes,
  }, wavelet);
}

/** A chunk's metadata from its index entry: the record's hash (and adaptive levels), the extent's size. */
export function chunkMetadataOf(entry: IndexEntry): ChunkMetadata {
  return decodeChunkRecord(entry.metadata, entry.length);
}
