// Percentile value range of a sample stream with bounded memory: keeps the k smallest and k largest values.

/** A fixed-capacity binary heap whose root is the element that `before` ranks first. */
class BoundedHeap {
  private readonly items: Float64Array;
  private size = 0;
  constructor(capacity: number, private readonly before: (a: number, b: number) => boolean) {
    this.items = new Float64Array(capacity);
  }

  get root(): number | undefined { return this.size > 0 ? this.items[0] : undefined; }
  get full(): boolean { return this.size === this.items.length; }

  push(value: number): void {
    let i = this.size++;
    this.items[i] = value;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(this.items[i]!, this.items[parent]!)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  replaceRoot(value: number): void {
    this.items[0] = value;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let first = i;
      if (left < this.size && this.before(this.items[left]!, this.items[first]!)) first = left;
      if (right < this.size && this.before(this.items[right]!, this.items[first]!)) first = right;
      if (first === i) return;
      this.swap(i, first);
      i = first;
    }
  }

  private swap(a: number, b: number): void {
    const t = this.items[a]!;
    this.items[a] = this.items[b]!;
    this.items[b] = t;
  }
}

/**
 * The value range OpenVDS's SEGYImport derives for a channel: the `percentile` range of the
 * samples (99.5 by default) with (100 − percentile)/2 % trimmed at each end; NaNs are ignored.
 */
export class ValueRangeEstimator {
  /** Max-heap of the smallest values: its root is the k-th smallest. */
  private readonly low: BoundedHeap;
  /** Min-heap of the largest values: its root is the k-th largest. */
  private readonly high: BoundedHeap;
  nanCount = 0;

  constructor(expectedSampleCount: number, percentile = 99.5) {
    // In single precision, as OpenVDS computes it: in double the count can come out one different.
    const f = Math.fround;
    const capacity = Math.trunc(f(f(f(f(100 - f(percentile)) / 100) * f(expectedSampleCount)) / 2)) + 1;
    this.low = new BoundedHeap(capacity, (a, b) => a > b);
    this.high = new BoundedHeap(capacity, (a, b) => a < b);
  }

  update(values: ArrayLike<number>, start = 0, end = values.length): void {
    for (let i = start; i < end; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) {
        this.nanCount++;
        continue;
      }
      if (!this.low.full) this.low.push(v);
      else if (v < this.low.root!) this.low.replaceRoot(v);
      if (!this.high.full) this.high.push(v);
      else if (v > this.high.root!) this.high.replaceRoot(v);
    }
  }

  /** [min, max]; a constant stream gives [v, v + 1] and an empty one [0, 1], as OpenVDS does. */
  valueRange(): [number, number] {
    const min = this.low.root;
    const max = this.high.root;
    if (min === undefined || max === undefined) return [0, 1];
    return min === max ? [min, min + 1] : [min, max];
  }
}
