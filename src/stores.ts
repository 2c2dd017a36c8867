// `rxvds/stores`: the store toolkit, to compose stores of one's own and hand them to `open`,
// `create` or `copyDataset` (an IOManager is any ReadableStore). Importing it loads no cloud SDK:
// S3Store, GcsStore and AzureStore load theirs when constructed.
//
//   import { registerStoreScheme, S3Store, withRetry } from 'rxvds/stores';
//   const store = withRetry(new S3Store({ bucket: 'surveys', prefix: 'f3' }), { maxAttempts: 8 });
export {
  isDeletable, isListable, isWritable, objectInfo,
  type ByteRange, type DeletableStore, type ListableStore, type ObjectInfo, type ReadableStore, type ReadOptions, type Store,
  type WritableStore, type WriteOptions,
} from '../sources/stores/store.js';
export { wrapStore, type StoreAround, type StoreMembers, type StoreOperation } from '../sources/stores/wrapStore.js';
export { withRetry, isTransientStoreError, type RetryOptions, type RetryEvent } from '../sources/stores/withRetry.js';
export { withConcurrencyLimit } from '../sources/stores/withConcurrencyLimit.js';
export { withSignal } from '../sources/stores/withSignal.js';
export { withRemoteDefaults, REMOTE_CONCURRENCY, REMOTE_RETRY } from '../sources/stores/remoteDefaults.js';
export { FolderStore } from '../sources/stores/folderStore.js';
export { MemoryStore } from '../sources/stores/memoryStore.js';
export { HttpStore } from '../sources/stores/httpStore.js';
export { S3Store, type S3StoreOptions } from '../sources/stores/s3Store.js';
export { GcsStore, type GcsStoreOptions } from '../sources/stores/gcsStore.js';
export { AzureStore, type AzureStoreOptions } from '../sources/stores/azureStore.js';
export { openStore, type OpenedStore } from '../sources/stores/openStore.js';
export { registerStoreScheme, type StoreFactory, type StoreIntent, type StoreRequest } from '../sources/stores/storeSchemes.js';
export type { ConnectionOptions } from '../sources/stores/connectionString.js';
