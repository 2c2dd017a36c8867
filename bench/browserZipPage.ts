// The page side of bench/browserZip.ts, bundled for Chromium: inflates the same zlib streams with
// DecompressionStream('deflate'), fflate and pako (and the browser Zip codec's inflateZlib), taking
// turns in every repetition.
import { unzlibSync } from 'fflate';
import { inflate } from 'pako';
import { inflateZlib, inflateZlibAsync } from '../src/codecs/zlib.browser.js';
import { median } from './bench.js';

type Inflate = (stream: Uint8Array, size: number) => Uint8Array | Promise<Uint8Array>;

const inflaters: Record<string, Inflate> = {
  'DecompressionStream': async (stream) => {
    const decompressed = new Blob([stream]).stream().pipeThrough(new DecompressionStream('deflate'));
    return new Uint8Array(await new Response(decompressed).arrayBuffer());
  },
  // What the browser build's Zip codec runs in its workers: the same stream read piece by piece into
  // one buffer of the known size, no Blob, no Response.
  'DecompressionStream into one buffer (rxvds inflateZlibAsync)': inflateZlibAsync,
  fflate: (stream, size) => unzlibSync(stream, { out: new Uint8Array(size) }),
  pako: (stream) => inflate(stream),
  // The browser build's synchronous inflate (a codec called directly): fflate, then the Adler-32 check fflate leaves out.
  'fflate + Adler-32 (rxvds inflateZlib)': inflateZlib,
};

/** Median milliseconds per pass over all `streams`, for each inflater. */
export async function measure(streams: Uint8Array[], sizes: number[], repeat: number): Promise<Record<string, number>> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(inflaters).map((name) => [name, []]));
  for (let i = 0; i < repeat; i++) {
    for (const [name, inflateStream] of Object.entries(inflaters)) {
      const start = performance.now();
      for (let s = 0; s < streams.length; s++) {
        const out = await inflateStream(streams[s]!, sizes[s]!);
        if (out.byteLength !== sizes[s]) throw new Error(`${name} inflated ${out.byteLength} bytes, expected ${sizes[s]}`);
      }
      times[name]!.push(performance.now() - start);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([name, t]) => [name, median(t)]));
}
