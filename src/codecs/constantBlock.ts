// A chunk whose hash alone defines it (never written, all no-value, or constant), filled in the
// requested format without touching its object (format sheet 3.7).
import type { DecodeOptions } from '../model/block.js';
import { constantHashValue, isConstantHash, isDefinedHash, isNoValueHash } from './volumeDataHash.js';
import { isQuantizedFormat, quantizeWithReciprocalScale, bucketCount, targetNoValue, targetValueConverter, u64Element } from '../model/convert.js';
import { VolumeDataFormat } from '../model/enums.js';
import { formatByteSize, typedView } from '../model/formats.js';

export function constantBlock(hash: bigint, options: DecodeOptions, voxelCount: number): Uint8Array {
  const { targetFormat: target, channel, shape } = options;
  const count = voxelCount * shape.components;
  if (target === VolumeDataFormat.Format_1Bit) {
    // Rows of sizeX·components bits, byte aligned, as a decoded 1Bit block (dataBlock.ts payloadByteSize).
    const rows = voxelCount / shape.size[0];
    const on = isConstantHash(hash) && constantHashValue(hash) !== 0;
    return new Uint8Array(Math.ceil((shape.size[0] * shape.components) / 8) * rows).fill(on ? 0xff : 0);
  }
  const noValue = isNoValueHash(hash) || (!isDefinedHash(hash) && channel.useNoValue);
  let element: number;
  if (noValue) element = targetNoValue(target, channel, options.replacementNoValue);
  else {
    const value = isConstantHash(hash) ? constantHashValue(hash) : 0;
    if (isQuantizedFormat(target) && isQuantizedFormat(shape.format)) {
      element = quantizeWithReciprocalScale(value, channel.integerOffset, Math.fround(1 / channel.integerScale), bucketCount(target, channel.useNoValue));
    } else {
      element = targetValueConverter(shape.format, target, channel)(value);
    }
  }
  const out = new Uint8Array(count * formatByteSize(target));
  fill(out, target, element);
  return out;
}

function fill(out: Uint8Array, format: VolumeDataFormat, element: number): void {
  const elements = typedView(format, out.buffer, out.byteOffset, out.byteLength);
  if (elements instanceof BigUint64Array) elements.fill(u64Element(element));
  else elements.fill(element);
}
