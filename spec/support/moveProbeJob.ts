// A job that says how its worker marks replies to move (src/workers/movable.ts), and moves a buffer
// back through that mark (spec/chunkJobs.spec.ts).
import type { ChunkJobHandler } from '../../src/index.js';
import { marksThroughLoadedSymbols } from '../../src/workers/movable.js';

export interface MoveProbeReply {
  marksThroughLoadedSymbols: boolean;
  bytes: Uint8Array;
}

const probe: ChunkJobHandler<{ kind: 'moveProbe' }, MoveProbeReply> = (_job, transfer) => {
  const bytes = new Uint8Array(1000).fill(7);
  transfer(bytes.buffer);
  return { marksThroughLoadedSymbols, bytes };
};
export default probe;
