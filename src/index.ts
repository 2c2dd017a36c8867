// rxvds: the public API. Names follow the OpenVDS Python API (camelCase).
export * from './enums.js';
export * from './errors.js';
export {
  open, openWithAdaptiveCompressionTolerance, openWithAdaptiveCompressionRatio, create, close, getLayout, getAccessManager,
} from './api.js';
export type { VDS } from './vds.js';
export type { Dataset, AbortOptions } from './api.js';
export { IOManager } from './ioManager.js';
export {
  OpenOptions, ConnectionType, WaveletAdaptiveMode, AWSOpenOptions, AzureOpenOptions, AzurePresignedOpenOptions, GoogleOpenOptions,
  GoogleCredentialsType, GoogleCredentialsToken, GoogleCredentialsPath, GoogleCredentialsJson, GoogleCredentialsSignedUrl,
  GoogleCredentialsSignedUrlPath, GoogleCredentialsSignedUrlJson, type GoogleCredentials, DMSOpenOptions, HttpOpenOptions,
  InMemoryOpenOptions, VDSFileOpenOptions,
} from './openOptions.js';
export {
  VolumeDataLayoutDescriptor, VolumeDataAxisDescriptor, VolumeDataChannelDescriptor, type FloatRange,
} from './layout/descriptors.js';
export { VolumeDataLayout } from './layout/volumeDataLayout.js';
export * from './metadata/metadataContainer.js';
export * from './metadata/metadataKey.js';
export { KnownMetadata } from './metadata/knownMetadata.js';
export {
  VolumeDataAccessManager, type VolumeSubsetOptions, type LayerSelection, type AbortableRequest, type SampleOptions, type ProjectedSubsetOptions,
  type PageAccessorOptions, type VolumeSubsetArguments, type SampleArguments, type ProjectedSubsetArguments,
} from './accessManager.js';
export {
  VolumeDataRequest, type RequestEvent, type ProgressEvent, type DataEvent, type VolumeDataRequest1Bit, type VolumeDataRequestByte,
  type VolumeDataRequestUShort, type VolumeDataRequestUInt, type VolumeDataRequestULong, type VolumeDataRequestFloat,
  type VolumeDataRequestDouble,
} from './request.js';
export { getRequestLimits, setRequestLimits, type RequestLimits, type Index6Out } from './requestArguments.js';
export { VolumeDataPageAccessor } from './pageAccessor.js';
export { VolumeDataPage } from './page.js';
// Attaches OpenVDS's nested AccessMode aliases to the two classes above.
import './nestedEnums.js';
export type { VolumeDataTypedArray } from './formats.js';
export { parseConnectionString } from './connectionString.js';
export { destroyChunkPool } from './workers/pool.js';

// Building blocks for custom reactive pipelines.
export type { Store, ByteRange, ReadOptions, WriteOptions, ObjectInfo } from '../sources/store.js';
export { FolderStore } from '../sources/folderStore.js';
export { MemoryStore } from '../sources/memoryStore.js';
export { openStore } from '../sources/openStore.js';
export { fetchChunks, fetchChunk, type FetchedChunk } from '../sources/chunkSource.js';
export { decodeChunks, type DecodedChunk, type DecodeTarget } from '../operators/decodeChunks.js';
export { inFlight } from '../operators/inFlight.js';
export { fromAbortable } from '../operators/fromAbortable.js';
export { assembleSubset } from '../sinks/assembleSubset.js';
export { writeBackPages, type ChunkWrite, type ChunkWritten } from '../sinks/pageWriteBack.js';
export { planSubset, type SubsetPlan } from './engine/subsetPlan.js';
export * as segy from './segy/index.js';
export { IJKCoordinateTransformer, getVDSIJKGridDefinitionFromMetadata, type VDSIJKGridDefinition } from './coordinates.js';
export { copyConflict, copyDataset, copyDataset$, type CopyOptions, type CopyProgress } from './copyDataset.js';
export { annotationSlice, annotationPosition, type VoxelBox, type AnnotationSelection, type AnnotationValue } from './annotation.js';
export {
  requestShapedSubset, type ShapedSubset, type ShapedAxis, type ShapedSubsetOptions, type ShapedFormat, type VolumeDataFormatArray,
} from './shapedSubset.js';
export {
  renderSlice, slicePNG, displayRange, type SlicePictureOptions, type SlicePicture, type PictureRect,
} from './render/slicePicture.js';
export { colorAt, colorMapNames, type ColorMapName } from './render/colorMaps.js';
export { encodePNG, type RGBImage } from './render/png.js';
