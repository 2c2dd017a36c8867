// The dataset layer over what a user or a URL gives: a key/value store is read as an object-store
// dataset; a dataset layer of its own (a `.vds` file) is used as it is. A read-only store (http://)
// opens like any other, and its dataset refuses the first write, naming the store.
import type { DatasetStore } from '../../src/engine/datasetStore.js';
import { refuseWrites } from '../stores/refuseWrites.js';
import type { ReadableStore } from '../stores/store.js';
import { ObjectDataset } from './objectDataset.js';

export function isDatasetStore(target: unknown): target is DatasetStore {
  const candidate = target as Partial<DatasetStore> | undefined;
  return typeof candidate?.chunkMetadata === 'function' && typeof candidate.produceLayer === 'function';
}

export function datasetFor(target: ReadableStore | DatasetStore): DatasetStore {
  return isDatasetStore(target) ? target : new ObjectDataset(refuseWrites(target));
}
