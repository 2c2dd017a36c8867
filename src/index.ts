// rxvds: the public API. Names follow the OpenVDS Python API (camelCase).
export * from './model/enums.js';
export {
  RxvdsError, InvalidArgumentError, InvalidOperationError, ReadError, StoreError, NotFoundError, WriteError, ChunkFormatError,
  SegyFormatError, CanceledError, isRxvdsError,
} from './model/errors.js';
export {
  open, openWithAdaptiveCompressionTolerance, openWithAdaptiveCompressionRatio, create, close, getLayout, getAccessManager,
} from './api/entryPoints.js';
export type { VDS } from './api/vds.js';
export type { Dataset, AbortOptions } from './api/entryPoints.js';
export { IOManager } from './api/ioManager.js';
export {
  OpenOptions, ConnectionType, WaveletAdaptiveMode, AWSOpenOptions, AzureOpenOptions, AzurePresignedOpenOptions, GoogleOpenOptions,
  GoogleCredentialsType, GoogleCredentialsToken, GoogleCredentialsPath, GoogleCredentialsJson, GoogleCredentialsSignedUrl,
  GoogleCredentialsSignedUrlPath, GoogleCredentialsSignedUrlJson, type GoogleCredentials, DMSOpenOptions, HttpOpenOptions,
  InMemoryOpenOptions, VDSFileOpenOptions,
} from '../sources/stores/openOptions.js';
export {
  VolumeDataLayoutDescriptor, VolumeDataAxisDescriptor, VolumeDataChannelDescriptor, type FloatRange,
} from './model/layout/descriptors.js';
export { VolumeDataLayout } from './model/layout/volumeDataLayout.js';
export * from './model/metadata/metadataContainer.js';
export { MetadataType, type MetadataKey, type MetadataValue } from './model/metadata/metadataKey.js';
export { KnownMetadata } from './model/metadata/knownMetadata.js';
export {
  VolumeDataAccessManager, type VolumeSubsetOptions, type LayerSelection, type AbortableRequest, type SampleOptions, type ProjectedSubsetOptions,
  type PageAccessorOptions, type VolumeSubsetArguments, type SampleArguments, type ProjectedSubsetArguments,
} from './api/accessManager.js';
export {
  VolumeDataRequest, type RequestEvent, type ProgressEvent, type DataEvent, type VolumeDataRequest1Bit, type VolumeDataRequestByte,
  type VolumeDataRequestUShort, type VolumeDataRequestUInt, type VolumeDataRequestULong, type VolumeDataRequestFloat,
  type VolumeDataRequestDouble,
} from './api/request.js';
export { getRequestLimits, setRequestLimits, type RequestLimits, type Index6Out } from './api/requestArguments.js';
export { VolumeDataPageAccessor } from './api/pageAccessor.js';
export { VolumeDataPage } from './api/page.js';
// Attaches OpenVDS's nested AccessMode aliases to the two classes above.
import './api/nestedEnums.js';
export type { VolumeDataTypedArray } from './model/formats.js';
export { parseConnectionString } from '../sources/stores/connectionString.js';
export { ChunkPool, chunkPool, destroyChunkPool, type ChunkJobRunOptions, type ChunkPoolOptions, type ChunkPoolStats } from './workers/pool.js';
export { registerChunkJob, type ChunkJob, type ChunkJobHandler } from './workers/chunkJobs.js';

// Building blocks for custom reactive pipelines.
export type { Store, ByteRange, ReadOptions, WriteOptions, ObjectInfo } from '../sources/stores/store.js';
export { FolderStore } from '../sources/stores/folderStore.js';
export { MemoryStore } from '../sources/stores/memoryStore.js';
export { openStore } from '../sources/stores/openStore.js';
export { fetchChunks, fetchChunk, type FetchedChunk } from '../sources/fetchChunks.js';
export { decodeChunks, type DecodedChunk, type DecodeTarget } from '../operators/decodeChunks.js';
export { inFlight } from '../operators/inFlight.js';
export { onPool, type PoolJob } from '../operators/onPool.js';
export { fromAbortable } from './async/fromAbortable.js';
export { assembleSubset } from '../sinks/assembleSubset.js';
export { SubsetDestination } from './engine/subsetDestination.js';
export { writeBackPages, type ChunkWrite, type ChunkWriteTarget, type ChunkWritten } from '../sinks/writeChunks.js';
export { ChunkWriter, type ChunkWriterLimits } from './engine/chunkWriter.js';
export { planSubset, type SubsetPlan } from './engine/subsetPlan.js';
export * as segy from './segy/index.js';
export * as distributed from './distributed/index.js';
export { IJKCoordinateTransformer, getVDSIJKGridDefinitionFromMetadata, type VDSIJKGridDefinition } from './model/coordinates.js';
export { copyConflict, copyDataset, copyDataset$, type ChunkTransform, type ChunkTransformJob, type CopyOptions, type CopyProgress } from './api/copyDataset.js';
export { annotationSlice, annotationPosition, type VoxelBox, type AnnotationSelection, type AnnotationValue } from './api/annotation.js';
export {
  requestShapedSubset, type ShapedSubset, type ShapedAxis, type ShapedSubsetOptions, type ShapedFormat, type VolumeDataFormatArray,
} from './api/shapedSubset.js';
export {
  renderSlice, slicePNG, displayRange, type SlicePictureOptions, type SlicePicture, type PictureRect,
} from './render/slicePicture.js';
export { colorAt, colorMapNames, type ColorMapName } from './render/colorMaps.js';
export { encodePNG, type RGBImage } from './render/png.js';
