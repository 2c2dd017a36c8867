// Progress of a write that counts what the destination store has acknowledged, not what was queued.
// A page accessor accepts pages faster than they are compressed and stored (its release resolves
// when there is room in the queue), so a bar fed by the producer would reach 100 % with the last
// pages still in flight. Here the producer marks how far it has queued (`queued(fraction)`), each
// mark is remembered with the number of store writes begun by then, and the mark counts as reached
// once as many writes have completed.
import type { Store, WriteOptions } from '../../sources/stores/store.js';

export class AcknowledgedWrites {
  private begun = 0;
  private completed = 0;
  private readonly marks: { writes: number; fraction: number }[] = [];
  private reached = 0;

  constructor(private readonly onProgress: (fraction: number) => void) {}

  /** `store`, with every `set` counted. */
  wrap(store: Store): Store {
    return {
      ...bindAll(store),
      set: async (key: string, data: Uint8Array, options?: WriteOptions) => {
        this.begun++;
        try {
          await store.set(key, data, options);
        } finally {
          this.completed++;
          this.advance();
        }
      },
    };
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

/** A store's methods bound to it, and its description, as a plain object to override members of. */
function bindAll(store: Store): Store {
  return {
    description: store.description,
    get: store.get.bind(store),
    ...(store.getRange && { getRange: store.getRange.bind(store) }),
    head: store.head.bind(store),
    set: store.set.bind(store),
    delete: store.delete.bind(store),
    list: store.list.bind(store),
    ...(store.close && { close: store.close.bind(store) }),
  };
}
