// A gate in shared memory between a request and the workers that copy decoded chunks straight
// into its buffer. Closing it waits for copies under way and refuses later ones, so once a request
// is cancelled (or done) nothing writes into its buffer any more.

const CLOSED = 1 << 30;

export function createDeliveryGate(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

/** Worker side: runs `copy` unless the gate is closed; returns whether it ran. */
export function throughGate(gate: Int32Array, copy: () => void): boolean {
  for (;;) {
    const state = Atomics.load(gate, 0);
    if (state & CLOSED) return false;
    if (Atomics.compareExchange(gate, 0, state, state + 1) === state) break;
  }
  try {
    copy();
  } finally {
    if (Atomics.sub(gate, 0, 1) === (CLOSED | 1)) Atomics.notify(gate, 0);
  }
  return true;
}

/** Request side: refuses further copies and waits (at most one chunk copy) for those under way. */
export function closeGate(gate: Int32Array): void {
  Atomics.or(gate, 0, CLOSED);
  for (let state = Atomics.load(gate, 0); state !== CLOSED; state = Atomics.load(gate, 0)) Atomics.wait(gate, 0, state, 50);
}
