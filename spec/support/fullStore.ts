// Specs often hold a store with every capability (folder, memory, `.vds`, cloud) under a narrower
// type, such as a dataset's Store: this checks the capabilities and gives the store its full type.
import {
  type DeletableStore, isDeletable, isListable, isWritable, type ListableStore, type ReadableStore, type Store,
} from '../../sources/stores/store.js';

export type FullStore = Store & ListableStore & DeletableStore & Required<Pick<ReadableStore, 'getRange' | 'head'>>;

export function fullStore(store: ReadableStore): FullStore {
  if (!isWritable(store) || !isListable(store) || !isDeletable(store) || !store.head || !store.getRange) {
    throw new Error(`${store.description} lacks a capability a spec expects`);
  }
  return store as FullStore;
}
