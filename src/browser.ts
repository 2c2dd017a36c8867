// rxvds in a browser: the read path of the public API (index.ts) for web pages, picked by the
// "browser" condition of package.json's exports (`import * as vds from 'rxvds'` in a bundler).
// Everything here runs unchanged in Node; what needs Node (folder and .vds datasets, node:zlib,
// Piscina, the cloud SDKs, SEG-Y files) is left out, and the modules it reaches that
// have a Node and a browser form come in their browser form (package.json "browser" maps them:
// zlib on fflate, the pool on Web Workers, the URL schemes on fetch).
//
// The pool's workers run webChunkWorker.js: bundlers that follow `new Worker(new URL(…))` bundle it
// themselves; otherwise bundle `rxvds/worker` as webChunkWorker.js next to this bundle, or say
// where it is with setChunkWorkerUrl. On a cross-origin isolated page the workers copy decoded chunks
// straight into a request's SharedArrayBuffer; otherwise its chunks come back by transfer.
export * from './model/enums.js';
export {
  RxvdsError, InvalidArgumentError, InvalidOperationError, ReadError, StoreError, NotFoundError, WriteError, ChunkFormatError,
  CanceledError, isRxvdsError,
} from './model/errors.js';
export {
  open, openWithAdaptiveCompressionTolerance, openWithAdaptiveCompressionRatio, close, getLayout, getAccessManager,
} from './api/entryPoints.js';
export type { VDS } from './api/vds.js';
export type { Dataset, AbortOptions } from './api/entryPoints.js';
export { IOManager } from './api/ioManager.js';
export {
  OpenOptions, ConnectionType, WaveletAdaptiveMode, AWSOpenOptions, AzureOpenOptions, AzurePresignedOpenOptions, GoogleOpenOptions,
  GoogleCredentialsType, GoogleCredentialsToken, type GoogleCredentials, HttpOpenOptions, InMemoryOpenOptions,
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
export { ChunkPool, chunkPool, destroyChunkPool, type ChunkPoolOptions, type ChunkPoolStats } from './workers/pool.js';
export { registerChunkJob, type ChunkJob, type ChunkJobHandler } from './workers/chunkJobs.js';
export { setChunkWorkerUrl } from './workers/webWorkerScript.js';
export { canShareMemory } from './model/sharedMemory.js';

// Building blocks for custom reactive pipelines, and the stores that work in a page.
export type { Store, ByteRange, ReadOptions, WriteOptions, ObjectInfo } from '../sources/stores/store.js';
export { MemoryStore } from '../sources/stores/memoryStore.js';
export { HttpStore } from '../sources/stores/httpStore.js';
export { withRetry, isTransientStoreError, type RetryOptions, type RetryEvent } from '../sources/stores/withRetry.js';
export { withConcurrencyLimit } from '../sources/stores/withConcurrencyLimit.js';
export { withSignal } from '../sources/stores/withSignal.js';
export { openStore } from '../sources/stores/openStore.js';
export { registerStoreScheme, type StoreFactory, type StoreIntent, type StoreRequest } from '../sources/stores/storeSchemes.js';
export { fetchChunks, fetchChunk, type FetchedChunk } from '../sources/fetchChunks.js';
export { decodeChunks, type DecodedChunk, type DecodeTarget } from '../operators/decodeChunks.js';
export { inFlight } from '../operators/inFlight.js';
export { onPool, type PoolJob } from '../operators/onPool.js';
export { fromAbortable } from './async/fromAbortable.js';
export { assembleSubset } from '../sinks/assembleSubset.js';
export { SubsetDestination } from './engine/subsetDestination.js';
export { planSubset, type SubsetPlan } from './engine/subsetPlan.js';
export { IJKCoordinateTransformer, getVDSIJKGridDefinitionFromMetadata, type VDSIJKGridDefinition } from './model/coordinates.js';
export { annotationSlice, annotationPosition, type VoxelBox, type AnnotationSelection, type AnnotationValue } from './api/annotation.js';
export {
  requestShapedSubset, type ShapedSubset, type ShapedAxis, type ShapedSubsetOptions, type ShapedFormat, type VolumeDataFormatArray,
} from './api/shapedSubset.js';
export {
  renderSlice, slicePNG, displayRange, type SlicePictureOptions, type SlicePicture, type PictureRect,
} from './render/slicePicture.js';
export { colorAt, colorMapNames, type ColorMapName } from './render/colorMaps.js';
export { encodePNG, type RGBImage } from './render/png.js';
