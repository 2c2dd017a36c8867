// The decode job for wavelet chunks: the decode job with the wavelet codecs loaded up front. A
// kind of its own so that a worker that never meets a wavelet chunk never loads them (they were
// two thirds of the decode job's start-up).
import '../codecs/waveletCodecs.js';

export { default } from './decodeJob.js';
