// The dataset layer over what a user or a URL gives: a key/value store is read as an object-store
// dataset; a dataset layer of its own (a `.vds` file) is used as it is.
import type { DatasetStore } from '../../src/engine/datasetStore.js';
import type { Store } from '../stores/store.js';
import { ObjectDataset } from './objectDataset.js';

export function isDatasetStore(target: unknown): target is DatasetStore {
  const candidate = target as Partial<DatasetStore> | undefined;
  return typeof candidate?.chunkMetadata === 'function' && typeof candidate.produceLayer === 'function';
}

export function datasetFor(target: Store | DatasetStore): DatasetStore {
  return isDatasetStore(target) ? target : new ObjectDataset(target);
}
