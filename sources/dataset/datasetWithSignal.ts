// A dataset bound to one AbortSignal, as `withSignal` binds a store: once it aborts, every
// operation (new, or settling) fails with CanceledError, and no more chunks are written. Lets a
// caller stop work that takes no signal of its own (an import writing through a page accessor) at
// its next dataset operation. Closing and reading the layer status still work.
import { throwIfAborted } from '../../src/async/abort.js';
import type { DatasetStore } from '../../src/engine/datasetStore.js';

/** Members that still work after the abort: releasing the dataset, and what it knows already. */
const UNBOUND = new Set<PropertyKey>(['close', 'layerStatus', 'layerStatuses']);

export function datasetWithSignal(dataset: DatasetStore, signal: AbortSignal): DatasetStore {
  return new Proxy(dataset, {
    get: (target, member) => {
      const value: unknown = Reflect.get(target, member, target);
      if (typeof value !== 'function') return value;
      if (UNBOUND.has(member)) return value.bind(target);
      if (member === 'produceLayer') {
        return (...args: unknown[]) => {
          throwIfAborted(signal);
          return value.apply(target, args);
        };
      }
      return async (...args: unknown[]) => {
        throwIfAborted(signal);
        const result: unknown = await value.apply(target, args);
        throwIfAborted(signal);
        return result;
      };
    },
  });
}
