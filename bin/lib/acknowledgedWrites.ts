// Progress of a write that counts what the destination store has acknowledged, not what was queued.
// A page accessor accepts pages faster than they are compressed and stored (its release resolves
// when there is room in the queue), so a bar fed by the producer would reach 100 % with the last
// pages still in flight. Here the producer marks how far it has queued (`queued(fraction)`), each
// mark is remembered with the number of store writes begun by then, and the mark counts as reached
// once as many writes have completed.
import type { DatasetStore } from '../../src/engine/datasetStore.js';
import { isDatasetStore } from '../../sources/dataset/datasetFor.js';
import type { Store } from '../../sources/stores/store.js';
import { type StoreMembers, wrapStore } from '../../sources/stores/wrapStore.js';

export class AcknowledgedWrites {
  private begun = 0;
  private completed = 0;
  private readonly marks: { writes: number; fraction: number }[] = [];
  private reached = 0;

  constructor(private readonly onProgress: (fraction: number) => void) {}

  /** `store` with every `set` counted, or a dataset (a `.vds` file's) with every `writeChunk` counted. */
  wrap<S extends Store>(store: S): StoreMembers<S>;
  wrap(dataset: DatasetStore): DatasetStore;
  wrap(target: Store | DatasetStore): StoreMembers<Store> | DatasetStore;
  wrap(target: Store | DatasetStore): StoreMembers<Store> | DatasetStore {
    if (!isDatasetStore(target)) {
      return wrapStore(target, { call: async (operation, _key, options, run) => (operation === 'set' ? this.counted(() => run(options)) : run(options)) });
    }
    return new Proxy(target, {
      get: (object, member) => {
        const value: unknown = Reflect.get(object, member, object);
        if (typeof value !== 'function') return value;
        return member === 'writeChunk' ? (...args: unknown[]) => this.counted(() => value.apply(object, args)) : value.bind(object);
      },
    });
  }

  private async counted<T>(write: () => Promise<T>): Promise<T> {
    this.begun++;
    try {
      return await write();
    } finally {
      this.completed++;
      this.advance();
    }
  }

  /** The producer has queued the work up to `fraction`. */
  queued(fraction: number): void {
    this.marks.push({ writes: this.begun, fraction });
    this.advance();
  }

  private advance(): void {
    const before = this.reached;
    while (this.marks.length && this.completed >= this.marks[0]!.writes) this.reached = this.marks.shift()!.fraction;
    if (this.reached !== before) this.onProgress(this.reached);
  }
}
