// Helpers to write test volumes whose every voxel value is a known function of its position.
import * as vds from '../../src/index.js';

export type VoxelFunction = (x: number, y: number, z: number) => number;

let datasetCount = 0;
export function uniqueMemoryUrl(prefix = 'spec'): string {
  return `inmemory://${prefix}-${process.pid}-${++datasetCount}`;
}

export interface TestVolume {
  url: string;
  size: [number, number, number];
  format: vds.VolumeDataFormat;
  value: VoxelFunction;
}

/** Creates a 3D dataset and writes every LOD0 chunk of the primary channel through a page accessor. */
export async function writeTestVolume(options: {
  url?: string; size: [number, number, number]; format: vds.VolumeDataFormat; value: VoxelFunction;
  method?: vds.CompressionMethod; brickSize?: vds.BrickSize; margin?: number; noValue?: number;
  valueRange?: [number, number]; integerScale?: number; integerOffset?: number; components?: vds.VolumeDataComponents;
  lodLevels?: vds.LODLevels; maxPages?: number;
}): Promise<TestVolume> {
  const url = options.url ?? uniqueMemoryUrl();
  const [nx, ny, nz] = options.size;
  const range = options.valueRange ?? [0, 1];
  const channel = new vds.VolumeDataChannelDescriptor(options.format, options.components ?? vds.VolumeDataComponents.Components_1,
    'Value', '', range[0], range[1], vds.VolumeDataMapping.Direct, 1, vds.ChannelFlags.Default, options.noValue,
    options.integerScale ?? 1, options.integerOffset ?? 0);
  const handle = await vds.create(url, '',
    new vds.VolumeDataLayoutDescriptor(options.brickSize ?? vds.BrickSize.BrickSize_32, options.margin ?? 0, options.margin ?? 0, 1,
      options.lodLevels ?? vds.LODLevels.LODLevels_None),
    [new vds.VolumeDataAxisDescriptor(nx, 'Sample', 'ms', 0, nx - 1), new vds.VolumeDataAxisDescriptor(ny, 'Crossline', '', 0, ny - 1),
      new vds.VolumeDataAxisDescriptor(nz, 'Inline', '', 0, nz - 1)],
    [channel], new vds.MetadataContainer(), options.method ?? vds.CompressionMethod.None);
  const accessor = vds.getAccessManager(handle).createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, options.maxPages ?? 8,
    vds.AccessMode.AccessMode_Create);
  const components = options.components ?? 1;
  for (let chunk = 0; chunk < accessor.getChunkCount(); chunk++) {
    const page = accessor.createPage(chunk);
    const [min, max] = page.getMinMax();
    fillBox(page.getWritableBuffer(), options.format, components, min, max, options.value);
    await page.release();
  }
  await accessor.commit();
  await vds.close(handle);
  return { url, size: options.size, format: options.format, value: options.value };
}

/** Writes `value` over the box `[min, max)` into a dense buffer of `format` (1Bit rows byte aligned). */
export function fillBox(buffer: vds.VolumeDataTypedArray, format: vds.VolumeDataFormat, components: number,
  min: readonly number[], max: readonly number[], value: VoxelFunction): void {
  const [sx, sy, sz] = [max[0]! - min[0]!, max[1]! - min[1]!, max[2]! - min[2]!];
  const rowBytes = Math.ceil(sx / 8);
  let i = 0;
  for (let z = 0; z < sz; z++) for (let y = 0; y < sy; y++) for (let x = 0; x < sx; x++) {
    const v = value(min[0]! + x, min[1]! + y, min[2]! + z);
    if (format === vds.VolumeDataFormat.Format_1Bit) {
      const bytes = buffer as Uint8Array;
      const at = (y + z * sy) * rowBytes + (x >> 3);
      if (v) bytes[at] = bytes[at]! | (1 << (x & 7));
    } else {
      for (let c = 0; c < components; c++) {
        (buffer as unknown as { [k: number]: number | bigint })[i++] =
          format === vds.VolumeDataFormat.Format_U64 ? BigInt(v + c) : v + c;
      }
    }
  }
}
