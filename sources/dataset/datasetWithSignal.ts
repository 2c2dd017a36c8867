// A dataset bound to one AbortSignal, as `withSignal` binds a store: once it aborts, every
// operation (new, or settling) fails with CanceledError, and no more chunks are written. Lets a
// caller stop work that takes no signal of its own (an import writing through a page accessor) at
// its next dataset operation. Closing and reading the layer status still work.
import { throwIfAborted } from '../../src/async/abort.js';
import type { DatasetStore } from '../../src/engine/datasetStore.js';

const UNBOUND = new Set<PropertyKey>(['close', 'layerStatus', 'layerStatuses']);

export function datasetWithSignal(dataset: DatasetStore, signal: AbortSignal): DatasetStore {
  return new Proxy(dataset, {
    get: (target, member) => {
      const value: unknown = Reflect.get(target, member, target);
      if (typeof value !== 'function') return value;
      if (UNBOUND.has(member)) return value.bind(target);
      return (...args: unknown[]) => {
        throwIfAborted(signal);
        const result: unknown = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.then((settled: unknown) => {
          throwIfAborted(signal);
          return settled;
        });
      };
    },
  });
}
