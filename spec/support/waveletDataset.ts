// Writes a small folder dataset whose LOD 0 layer is wavelet-compressed by encodeWaveletChunk,
// through the dataset layer directly (rxvds's write path does not plug the encoder in yet). Used
// by spec/waveletOpenVds.spec.ts to have OpenVDS itself read what the encoder wrote.
import * as vds from '../../src/index.js';
import { uniqueChunkHash } from '../../src/codecs/volumeDataHash.js';
import { encodeWaveletChunk, type WaveletMethod } from '../../src/codecs/wavelet/encoder.js';
import type { ChannelValues } from '../../src/model/block.js';
import { layersOf, VolumeDataLayout } from '../../src/model/layout/volumeDataLayout.js';
import { ObjectDataset } from '../../sources/dataset/objectDataset.js';
import { vdsFileDatasetFor } from '../../sources/dataset/vdsFileDataset.js';
import { FolderStore } from '../../sources/stores/folderStore.js';

export const DATASET_SIZE: [number, number, number] = [70, 50, 40];
export const VALUE_RANGE: [number, number] = [-1.25, 1.25];

/** Seismic-like: reflectors that dip and bend, a flat region, and a spike. */
export function syntheticVolume([sx, sy, sz]: [number, number, number]): Float32Array {
  const out = new Float32Array(sx * sy * sz);
  let i = 0;
  for (let z = 0; z < sz; z++) {
    for (let y = 0; y < sy; y++) {
      for (let x = 0; x < sx; x++, i++) {
        const t = x + 0.15 * y + 3 * Math.sin(0.2 * z + 0.05 * y);
        const v = Math.sin(0.45 * t) * Math.exp(-x / 90) + 0.3 * Math.sin(1.7 * t + 0.1 * z);
        out[i] = y < 6 && z < 6 ? 0.25 : v;
      }
    }
  }
  out[Math.floor(out.length / 3)] = 1.2;
  return out;
}

type WaveletFormat = vds.VolumeDataFormat.Format_R32 | vds.VolumeDataFormat.Format_U8 | vds.VolumeDataFormat.Format_U16;

/** What the dataset stores: R32 values in VALUE_RANGE, or U8/U16 codes over their full range (physical value = code). */
export function storedSamples(volume: Float32Array, format: WaveletFormat): Float32Array | Uint8Array | Uint16Array {
  if (format === vds.VolumeDataFormat.Format_R32) return volume.slice();
  const top = format === vds.VolumeDataFormat.Format_U8 ? 255 : 65535;
  const out = format === vds.VolumeDataFormat.Format_U8 ? new Uint8Array(volume.length) : new Uint16Array(volume.length);
  for (let i = 0; i < volume.length; i++) out[i] = Math.round(((volume[i]! - VALUE_RANGE[0]) / (VALUE_RANGE[1] - VALUE_RANGE[0])) * top);
  return out;
}

/** Whether voxel `i` is a hole (no-value) in datasets written with a no-value: a slab corner and a sparse lattice. */
export function isHole(i: number): boolean {
  const [sx, sy] = DATASET_SIZE;
  const x = i % sx, y = Math.floor(i / sx) % sy;
  return (x < 20 && y < 12) || i % 13 === 0;
}

/** The no-value marker in the stored samples: the value for R32, the top code for U8/U16. */
export function noValueMarker(format: WaveletFormat, noValue: number): number {
  return format === vds.VolumeDataFormat.Format_R32 ? Math.fround(noValue) : format === vds.VolumeDataFormat.Format_U8 ? 255 : 65535;
}

/** The channel's value range: one unit of tolerance is range / 255. */
export function valueRange(format: WaveletFormat): [number, number] {
  return format === vds.VolumeDataFormat.Format_R32 ? VALUE_RANGE : [0, format === vds.VolumeDataFormat.Format_U8 ? 255 : 65535];
}

export interface WrittenDataset {
  path: string;
  method: WaveletMethod;
  tolerance: number;
  channel: ChannelValues;
  chunks: number;
  bytes: number;
}

/** The volume (see storedSamples), in 32³ bricks without margins, one channel; every chunk wavelet-encoded. A `.vds` path makes a `.vds` file. */
export async function writeWaveletDataset(path: string, volume: Float32Array, method: WaveletMethod, tolerance: number,
  format: WaveletFormat = vds.VolumeDataFormat.Format_R32, noValue?: number): Promise<WrittenDataset> {
  const [sx, sy, sz] = DATASET_SIZE;
  const [rangeMin, rangeMax] = valueRange(format);
  const stored = storedSamples(volume, format);
  if (noValue !== undefined) for (let i = 0; i < stored.length; i++) if (isHole(i)) stored[i] = noValueMarker(format, noValue);
  const layout = new VolumeDataLayout(
    new vds.VolumeDataLayoutDescriptor(vds.BrickSize.BrickSize_32, 0, 0, 1, vds.LODLevels.LODLevels_None),
    [new vds.VolumeDataAxisDescriptor(sx, 'Sample', 'ms', 0, sx - 1), new vds.VolumeDataAxisDescriptor(sy, 'Crossline', '', 0, sy - 1),
      new vds.VolumeDataAxisDescriptor(sz, 'Inline', '', 0, sz - 1)],
    [new vds.VolumeDataChannelDescriptor(format, vds.VolumeDataComponents.Components_1, 'Amplitude', '', rangeMin, rangeMax,
      vds.VolumeDataMapping.Direct, undefined, vds.ChannelFlags.Default, noValue)],
    new vds.MetadataContainer());
  const layers = layersOf(layout);
  const layer = layers.get(vds.DimensionsND.Dimensions_012, 0, 0)!;
  const channel: ChannelValues = {
    valueRangeMin: Math.fround(rangeMin), valueRangeMax: Math.fround(rangeMax), integerScale: 1, integerOffset: 0,
    useNoValue: noValue !== undefined, noValue: Math.fround(noValue ?? 0),
  };
  const dataset = vdsFileDatasetFor(path, 'create') ?? new ObjectDataset(new FolderStore(path));
  await dataset.create(layout);
  dataset.produceLayer(layer, { compressionMethod: method, compressionTolerance: tolerance, chunkMetadataPageSize: 1024 });
  let bytes = 0;
  for (let chunk = 0; chunk < layer.chunkCount; chunk++) {
    const { min } = layer.partition.chunkMinMax(chunk, true);
    const shape = layer.blockShape(chunk);
    const [cx, cy, cz] = shape.size;
    const payload = new (stored.constructor as Float32ArrayConstructor)(cx * cy * cz);
    for (let z = 0, o = 0; z < cz; z++) {
      for (let y = 0; y < cy; y++, o += cx) {
        const from = min[0]! + (min[1]! + y) * sx + (min[2]! + z) * sx * sy;
        payload.set(stored.subarray(from, from + cx), o);
      }
    }
    const encoded = encodeWaveletChunk(new Uint8Array(payload.buffer), { shape, channel, tolerance, method });
    bytes += encoded.bytes.length;
    await dataset.writeChunk(layer, chunk, encoded.bytes, { hash: uniqueChunkHash(), adaptiveLevels: encoded.adaptiveLevels }, payload.byteLength);
  }
  await dataset.flush();
  await dataset.close();
  return { path, method, tolerance, channel, chunks: layer.chunkCount, bytes };
}

/** rxvds's own read of the whole volume (R32), at the adaptive level a wanted tolerance gives if one is given. */
export async function readWithRxvds(path: string, adaptiveTolerance?: number): Promise<Float32Array> {
  const handle = adaptiveTolerance === undefined ? await vds.open(path) : await vds.openWithAdaptiveCompressionTolerance(path, '', adaptiveTolerance);
  try {
    const request = vds.getAccessManager(handle).requestVolumeSubset([0, 0, 0], DATASET_SIZE);
    if (!(await request.waitForCompletion())) throw new Error(`rxvds read failed: ${request.errorMessage}`);
    return request.data as Float32Array;
  } finally {
    await vds.close(handle);
  }
}
