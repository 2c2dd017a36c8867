// A deterministic synthetic seismic survey: smooth dipping reflectors (Ricker wavelets) plus noise.
// Values depend only on the voxel position, so chunks (and their margins) agree wherever they overlap.
import type { DatasetStore } from '../../src/engine/datasetStore.js';
import * as vds from '../../src/index.js';
import { AcknowledgedWrites } from './acknowledgedWrites.js';

const LAYERS = 14;
const FREQUENCY = 0.06; // cycles per sample
const HALF_WINDOW = Math.ceil(2.5 / (Math.PI * FREQUENCY)) + 1;

interface Reflector { depth: number; amplitude: number; dipX: number; dipY: number; phase: number }

function reflectors(samples: number): Reflector[] {
  return Array.from({ length: LAYERS }, (_, k) => ({
    depth: ((k + 0.7) / LAYERS) * samples,
    amplitude: (k % 3 === 0 ? -1 : 1) * (0.4 + 0.6 * ((k * 7919) % 13) / 13),
    dipX: 0.06 + 0.02 * (k % 4),
    dipY: 0.03 * ((k % 5) - 2),
    phase: k * 1.3,
  }));
}

function noise(s: number, x: number, y: number): number {
  let h = Math.imul(s, 0x9E3779B1) ^ Math.imul(x, 0x85EBCA77) ^ Math.imul(y, 0xC2B2AE3D);
  h = Math.imul(h ^ (h >>> 15), 0x2C1B3C6D);
  h ^= h >>> 12;
  return ((h >>> 0) / 0xFFFFFFFF) - 0.5;
}

function ricker(t: number): number {
  const a = (Math.PI * FREQUENCY * t) ** 2;
  return (1 - 2 * a) * Math.exp(-a);
}

export class SyntheticSurvey {
  private readonly layers: Reflector[];

  constructor(readonly samples: number, readonly crosslines: number, readonly inlines: number) {
    this.layers = reflectors(samples);
  }

  /** Fills `out` (dimension 0 fastest) with the voxels of the box `[min, max)`. */
  fill(out: Float32Array, min: readonly number[], max: readonly number[]): void {
    const nS = max[0]! - min[0]!, nX = max[1]! - min[1]!, nY = max[2]! - min[2]!;
    for (let y = 0; y < nY; y++) {
      for (let x = 0; x < nX; x++) {
        this.trace(out.subarray((x + y * nX) * nS, (x + 1 + y * nX) * nS), min[0]!, min[1]! + x, min[2]! + y);
      }
    }
  }

  private trace(out: Float32Array, s0: number, x: number, y: number): void {
    const n = out.length;
    for (let i = 0; i < n; i++) out[i] = 0.08 * noise(s0 + i, x, y);
    for (const layer of this.layers) {
      const depth = layer.depth + 12 * Math.sin(layer.dipX * x * 0.25 + layer.phase) + 9 * Math.cos(layer.dipY * y * 0.3) +
        0.05 * (x - this.crosslines / 2) * layer.dipY;
      const from = Math.max(0, Math.floor(depth - HALF_WINDOW) - s0);
      const to = Math.min(n, Math.ceil(depth + HALF_WINDOW) - s0);
      for (let i = from; i < to; i++) out[i] = out[i]! + layer.amplitude * ricker(s0 + i - depth);
    }
  }
}

/**
 * Writes `survey` as a new R32 dataset (brick 64, Sample × Crossline × Inline) through a page
 * accessor; `onProgress` gets the fraction of chunks the store has acknowledged when `url` is a
 * store (the fraction queued otherwise). `lodLevels` coarser LODs are generated as it writes.
 */
export async function writeSyntheticSurvey(url: string | vds.Store | DatasetStore, survey: SyntheticSurvey, method: vds.CompressionMethod,
  onProgress?: (fraction: number) => void, lodLevels = vds.LODLevels.LODLevels_None): Promise<void> {
  const writes = onProgress && typeof url !== 'string' ? new AcknowledgedWrites(onProgress) : undefined;
  const dataset = await vds.create(writes ? writes.wrap(url as vds.Store | DatasetStore) : url, '',
    new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_64, 0, 0, 4, lodLevels),
    [
      new vds.VolumeDataAxisDescriptor(survey.samples, 'Sample', 'ms', 0, 4 * (survey.samples - 1)),
      new vds.VolumeDataAxisDescriptor(survey.crosslines, 'Crossline', 'unitless', 1000, 1000 + survey.crosslines - 1),
      new vds.VolumeDataAxisDescriptor(survey.inlines, 'Inline', 'unitless', 2000, 2000 + survey.inlines - 1),
    ],
    [new vds.VolumeDataChannelDescriptor(vds.VolumeDataFormat.Format_R32, vds.VolumeDataComponents.Components_1, 'Amplitude', '', -1.5, 1.5)],
    new vds.MetadataContainer(), method);
  const accessor = vds.getAccessManager(dataset).createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, 16,
    vds.AccessMode.AccessMode_Create);
  const chunks = accessor.getChunkCount();
  for (let chunk = 0; chunk < chunks; chunk++) {
    const page = accessor.createPage(chunk);
    const [min, max] = page.getMinMax();
    survey.fill(page.getWritableBuffer() as Float32Array, min, max);
    await page.release();
    if (writes) writes.queued((chunk + 1) / chunks);
    else onProgress?.((chunk + 1) / chunks);
  }
  await accessor.commit();
  await vds.close(dataset);
}
