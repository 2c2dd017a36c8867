// Reads that run unchanged in Node (with the Node entry) and in Chromium (bundled with the browser
// entry): readProbes, which the browser spec compares bit for bit (both sides read the same subsets
// and samples and hash the bytes the same way, with Web Crypto, global in both), and timeReads,
// the browser benchmark's workload.
import type * as Rxvds from '../../src/index.js';

/** The part of the rxvds module the probes use: the Node and browser entries both have it. */
export type ReadApi = Pick<typeof Rxvds, 'open' | 'close' | 'getLayout' | 'getAccessManager' | 'VolumeDataFormat' | 'InterpolationMethod'>;

export interface ReadProbe {
  /** What was read, e.g. `LOD0 whole volume as stored` or `cubic samples`. */
  readonly name: string;
  readonly sha256: string;
  readonly length: number;
  /** The first values, to say what differs when a hash does. */
  readonly head: number[];
}

async function probe(name: string, data: ArrayBufferView & ArrayLike<number | bigint>): Promise<ReadProbe> {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // digest() refuses views of SharedArrayBuffers (the browser's cross-origin-isolated path): hash a copy.
  const digest = await crypto.subtle.digest('SHA-256', (bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice()) as Uint8Array<ArrayBuffer>);
  return {
    name, length: data.length,
    sha256: Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join(''),
    head: Array.from({ length: Math.min(4, data.length) }, (_, i) => Number(data[i]!)),
  };
}

/**
 * Reads the primary channel of the dataset at `url`: every LOD whole in its stored format, LOD 0
 * whole as R32, a slice across each of the three axes (through the middle), and 64 samples at
 * fixed positions with each interpolation method.
 */
export async function readProbes(vds: ReadApi, url: string): Promise<ReadProbe[]> {
  const handle = await vds.open(url);
  try {
    const layout = vds.getLayout(handle);
    const manager = vds.getAccessManager(handle);
    const size = [0, 1, 2].map((d) => layout.getDimensionNumSamples(d));
    const results: ReadProbe[] = [];
    const subset = async (name: string, min: number[], max: number[], lod: number, format: Rxvds.VolumeDataFormat) => {
      const request = manager.requestVolumeSubset(min, max, { lod, format });
      if (!(await request.waitForCompletion())) throw new Error(`${name}: ${request.errorMessage}`);
      results.push(await probe(name, request.data));
    };
    // Subset bounds are LOD 0 voxels at every LOD.
    for (let lod = 0; lod <= layout.getLayoutDescriptor().getLODLevels(); lod++) {
      await subset(`LOD${lod} whole volume as stored`, [0, 0, 0], size, lod, vds.VolumeDataFormat.Format_Any);
    }
    await subset('LOD0 whole volume as R32', [0, 0, 0], size, 0, vds.VolumeDataFormat.Format_R32);
    for (const [dimension, label] of [[0, 'time'], [1, 'crossline'], [2, 'inline']] as const) {
      const min = [0, 0, 0], max = [...size];
      min[dimension] = size[dimension]! >> 1;
      max[dimension] = min[dimension]! + 1;
      await subset(`${label} slice ${min[dimension]}`, min, max, 0, vds.VolumeDataFormat.Format_Any);
    }
    // Positions spread over the volume, off the voxel centres so that interpolation matters.
    const positions = Array.from({ length: 64 }, (_, i) => size.map((n, d) => ((i * (7 + 4 * d) + 0.37 * (d + 1)) % (n - 1)) + 0.5));
    for (const method of [vds.InterpolationMethod.Nearest, vds.InterpolationMethod.Linear, vds.InterpolationMethod.Cubic]) {
      const request = manager.requestVolumeSamples(positions, { interpolationMethod: method });
      if (!(await request.waitForCompletion())) throw new Error(`samples: ${request.errorMessage}`);
      results.push(await probe(`${vds.InterpolationMethod[method]} samples`, request.data));
    }
    return results;
  } finally {
    await vds.close(handle, false);
  }
}

export interface ReadTimes {
  /** Milliseconds of each whole-volume read. */
  readonly wholeMs: number[];
  /** Milliseconds of each inline read, at random inlines. */
  readonly inlineMs: number[];
  readonly bytes: { whole: number; inline: number };
}

/**
 * The browser benchmark's workload, alike in Node and Chromium: the primary channel's whole LOD 0
 * as R32 `repeat` times, then `repeat` inlines at seeded random positions. The chunk cache of the
 * opened dataset is off, so every read fetches and decodes.
 */
export async function timeReads(vds: ReadApi, url: string, repeat: number, seed = 1): Promise<ReadTimes> {
  const handle = await vds.open(url);
  try {
    handle.chunkCache.setMaxBytes(0);
    const manager = vds.getAccessManager(handle);
    const size = [0, 1, 2].map((d) => vds.getLayout(handle).getDimensionNumSamples(d));
    const time = async (min: number[], max: number[]) => {
      const started = performance.now();
      const request = manager.requestVolumeSubset(min, max);
      if (!(await request.waitForCompletion())) throw new Error(request.errorMessage);
      return performance.now() - started;
    };
    const wholeMs: number[] = [], inlineMs: number[] = [];
    for (let i = 0; i < repeat; i++) wholeMs.push(await time([0, 0, 0], size));
    let state = seed >>> 0;
    for (let i = 0; i < repeat; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      const inline = Math.floor((state / 2 ** 32) * size[2]!);
      inlineMs.push(await time([0, 0, inline], [size[0]!, size[1]!, inline + 1]));
    }
    return { wholeMs, inlineMs, bytes: { whole: size[0]! * size[1]! * size[2]! * 4, inline: size[0]! * size[1]! * 4 } };
  } finally {
    await vds.close(handle, false);
  }
}
