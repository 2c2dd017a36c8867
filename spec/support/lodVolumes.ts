// Creates 2D–4D datasets and writes their LOD 0 chunks through a page accessor with LOD
// generation (AccessMode_Create), leaving the chunks a predicate rejects never written.
import * as vds from '../../src/index.js';
import type { Value } from './lodModel.js';
import { uniqueMemoryUrl } from './volumes.js';

export interface NDVolumeSpec {
  size: readonly number[];
  format: vds.VolumeDataFormat;
  method: vds.CompressionMethod;
  brickSize: vds.BrickSize;
  margin: number;
  lodLevels: vds.LODLevels;
  /** The channel's no-value; undefined: the channel uses none. */
  noValue?: number;
  maxPages: number;
  url?: string;
}

/** The group LOD 0 is written through: `Dimensions_01` for 2D volumes, else `Dimensions_012`. */
export function writtenGroup(dimensionality: number): vds.DimensionsND {
  return dimensionality === 2 ? vds.DimensionsND.Dimensions_01 : vds.DimensionsND.Dimensions_012;
}

const AXIS_NAMES = ['Sample', 'Crossline', 'Inline', 'Offset', 'Dim4', 'Dim5'];

/**
 * Creates the dataset and writes every LOD 0 chunk whose interior minimum `isWritten` accepts,
 * each page whole (margins included) with `value(position)`. Returns the URL.
 */
export async function writeNDVolume(spec: NDVolumeSpec, isWritten: (interiorMin: readonly number[]) => boolean,
  value: (position: readonly number[]) => Value): Promise<string> {
  const url = spec.url ?? uniqueMemoryUrl('lod');
  const channel = new vds.VolumeDataChannelDescriptor(spec.format, vds.VolumeDataComponents.Components_1, 'Value', '',
    0, 1, vds.VolumeDataMapping.Direct, 1, vds.ChannelFlags.Default, spec.noValue, 1, 0);
  const options = spec.size.length === 2 ? vds.LayoutOptions.Options_Create2DLODs : vds.LayoutOptions.Options_None;
  const layout = new vds.VolumeDataLayoutDescriptor(spec.brickSize, spec.margin, spec.margin, 1, spec.lodLevels, options);
  const axes = spec.size.map((n, d) => new vds.VolumeDataAxisDescriptor(n, AXIS_NAMES[d]!, '', 0, n - 1));
  const handle = await vds.create(url, '', layout, axes, [channel], new vds.MetadataContainer(), spec.method);
  try {
    const accessor = vds.getAccessManager(handle).createVolumeDataPageAccessor(writtenGroup(spec.size.length), 0, 0,
      spec.maxPages, vds.AccessMode.AccessMode_Create);
    for (let chunk = 0; chunk < accessor.getChunkCount(); chunk++) {
      // Pages give 6 entries, as OpenVDS does; the model and the value function use the volume's dimensions.
      const dims = spec.size.length;
      if (!isWritten(accessor.getChunkMinMaxExcludingMargin(chunk)[0].slice(0, dims))) continue;
      const page = accessor.createPage(chunk);
      const [min, max] = page.getMinMax().map((bound) => bound.slice(0, dims)) as [number[], number[]];
      fillPage(page.getWritableBuffer(), spec.format, min, max, value);
      await page.release();
    }
    await accessor.commit();
  } finally {
    await vds.close(handle);
  }
  return url;
}

/** Writes `value` over the box `[min, max)` (one chunk: at most 3 dimensions span more than 1). */
function fillPage(buffer: vds.VolumeDataTypedArray, format: vds.VolumeDataFormat, min: readonly number[], max: readonly number[],
  value: (position: readonly number[]) => Value): void {
  const dims = min.length;
  const rowBytes = Math.ceil((max[0]! - min[0]!) / 8);
  const position = [...min];
  for (let i = 0, row = 0; ; i++) {
    const v = value(position);
    if (format === vds.VolumeDataFormat.Format_1Bit) {
      const bytes = buffer as Uint8Array, x = position[0]! - min[0]!;
      const at = row * rowBytes + (x >> 3);
      bytes[at] = v ? bytes[at]! | (1 << (x & 7)) : bytes[at]! & ~(1 << (x & 7));
    } else {
      (buffer as unknown as Value[])[i] = v;
    }
    let d = 0;
    for (; d < dims; d++) {
      if (++position[d]! < max[d]!) break;
      position[d] = min[d]!;
    }
    if (d > 0) row++;
    if (d === dims) return;
  }
}

/** Reads `[min, max)` at `lod` in the channel's own format, as plain values (1Bit: one per voxel). */
export async function readNDSubset(url: string, spec: NDVolumeSpec, lod: number, min: readonly number[], max: readonly number[]): Promise<Value[]> {
  const handle = await vds.open(url);
  try {
    const request = vds.getAccessManager(handle).requestVolumeSubset(min, max,
      { lod, dimensionsND: writtenGroup(spec.size.length), format: spec.format });
    if (!await request.waitForCompletion()) throw new Error(`LOD ${lod} read failed: ${request.errorMessage}`);
    const data = request.data!;
    if (spec.format !== vds.VolumeDataFormat.Format_1Bit) return Array.from(data as ArrayLike<Value>);
    const count = min.reduce((n, lo, d) => n * (Math.floor((max[d]! - lo - 1) / 2 ** lod) + 1), 1);
    const bytes = data as Uint8Array;
    return Array.from({ length: count }, (_, i) => (bytes[i >> 3]! >> (i & 7)) & 1);
  } finally {
    await vds.close(handle);
  }
}
