// A gate in shared memory between a request and the workers that copy decoded chunks straight
// into its buffer. Closing it refuses later copies and reports when those under way have ended,
// so once a request is cancelled (or done) nothing writes into its buffer any more. The main
// thread never blocks on it: a close that finds a copy under way waits asynchronously.
import { requestMemory } from '../model/sharedMemory.js';

const CLOSED = 1 << 30;
/** How often a close polls when the platform has no Atomics.waitAsync (a chunk copy takes well under this). */
const POLL_MS = 1;

export function createDeliveryGate(): Int32Array {
  // Plain memory where the runtime shares none: then no worker copies, and closing never waits.
  return new Int32Array(requestMemory(4));
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

/**
 * Request side: refuses further copies. Undefined when no copy is under way (the usual case, so a
 * caller can settle at once); otherwise a promise of the moment the last one ends (at most one
 * chunk copy per worker).
 */
export function closeGate(gate: Int32Array): Promise<void> | undefined {
  const state = Atomics.or(gate, 0, CLOSED) | CLOSED;
  return state === CLOSED ? undefined : quiet(gate, state);
}

/** ES2024's Atomics.waitAsync (Node 16+, Chromium); absent in some browsers. */
type WaitAsync = (array: Int32Array, index: number, value: number) => { async: boolean; value: Promise<unknown> | string };
const waitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;

async function quiet(gate: Int32Array, state: number): Promise<void> {
  for (; state !== CLOSED; state = Atomics.load(gate, 0)) {
    if (waitAsync) {
      const waited = waitAsync(gate, 0, state);
      if (waited.async) await waited.value;
    } else {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
