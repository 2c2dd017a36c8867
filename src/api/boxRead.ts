// Reads a LOD0 box of a produced layer into a dense buffer: how a Remapped layer's pages are made
// from the layer it is remapped from (a voxel box reads the same from every chunking).
import { from, lastValueFrom } from 'rxjs';
import { VolumeDataFormat } from '../model/enums.js';
import { bufferByteSize } from '../model/formats.js';
import type { VolumeDataLayer } from '../model/geometry/layers.js';
import type { Index6 } from '../model/geometry/partition.js';
import type { VDS } from './vds.js';
import { planSubset } from '../engine/subsetPlan.js';
import { SubsetDestination } from '../engine/subsetDestination.js';
import { copyBitBox } from '../engine/boxCopy.js';
import { assembleSubset } from '../../sinks/assembleSubset.js';
import { inFlight } from '../../operators/inFlight.js';
import { readChunks } from '../../operators/readChunks.js';

/** The voxels of `[min, max)` of `layer` (LOD 0), dimension 0 fastest, components interleaved, in `format`. */
export async function readBox(vds: VDS, layer: VolumeDataLayer, min: Index6, max: Index6, format: VolumeDataFormat): Promise<Uint8Array> {
  const plan = planSubset(layer, min, max);
  const voxels = plan.outSize.reduce((n, size) => n * size, 1);
  const bytes = new Uint8Array(bufferByteSize(format, voxels * layer.channelDescriptor.components));
  const destination = new SubsetDestination(plan, bytes, format);
  await lastValueFrom(from(plan.chunks).pipe(
    inFlight(vds.engine.chunksInFlight, readChunks(vds.reader(layer), { format }, vds.cacheFor(layer, plan.chunks.length))),
    assembleSubset(destination, plan.chunks.length),
  ), { defaultValue: undefined });
  return format === VolumeDataFormat.Format_1Bit ? pageRows(bytes, plan.outSize) : bytes;
}

/** A 1Bit subset (rows packed back to back) as a page holds it: each row padded to whole bytes. */
function pageRows(packed: Uint8Array, size: readonly number[]): Uint8Array {
  const rowBits = Math.ceil(size[0]! / 8) * 8;
  const rows = size.slice(1).reduce((n, s) => n * s, 1);
  const padded = new Uint8Array((rowBits / 8) * rows);
  copyBitBox({ bytes: packed, size, rowBits: size[0]! }, [0], { bytes: padded, size, rowBits }, [0], size);
  return padded;
}
