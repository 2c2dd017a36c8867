// The warm-up job: a worker that runs it has loaded the decode job, and with it every codec, before
// the first chunk arrives (see ChunkPool.warm).
import './decodeJob.js';

export default function warm(): void {}
