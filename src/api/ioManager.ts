// OpenVDS's IOManager: the object a dataset's bytes are read and written through. In rxvds that is
// any store (a writable one to write); `IOManager.createIOManager` builds one from a URL and
// connection string, or OpenOptions, as OpenVDS's IOManager::CreateIOManager does.
import { openStore, openStoreFromOptions } from '../../sources/stores/openStore.js';
import type { ReadableStore } from '../../sources/stores/store.js';
import type { DatasetStore } from '../engine/datasetStore.js';
import { InvalidArgumentError } from '../model/errors.js';
import { OpenOptions, VDSFileOpenOptions } from '../../sources/stores/openOptions.js';
import { vdsFileDatasetAt, vdsFileDatasetFor } from '../../sources/dataset/vdsFileDataset.js';

/** Any store (a writable one to write), or a dataset layer of its own (a `.vds` file). */
export type IOManager = ReadableStore | DatasetStore;

export const IOManager = {
  createIOManager(dataset: string | OpenOptions, connectionString = ''): IOManager {
    if (!(dataset instanceof OpenOptions)) return vdsFileDatasetFor(dataset) ?? openStore(dataset, connectionString).store;
    if (connectionString !== '') throw new InvalidArgumentError('createIOManager takes OpenOptions or a URL with a connection string, not both');
    if (dataset instanceof VDSFileOpenOptions) return vdsFileDatasetAt(dataset.fileName);
    return openStoreFromOptions(dataset).store;
  },
};
