// Constant chunks (format sheet 3.5, 3.7): a chunk whose every element is one value is stored as a
// hash alone. A chunk only counts as constant when reading that hash back gives exactly its
// bytes, so a value that does not survive the f32 round trip (a large U32, say) is stored as data.
import { VolumeDataFormat } from '../model/enums.js';
import { formatByteSize, typedView } from '../model/formats.js';
import { convertNoValue, isQuantizedFormat } from '../model/convert.js';
import { constantBlock } from './constantBlock.js';
import type { BlockShape, ChannelValues } from '../model/block.js';
import { constantValueHash, NOVALUE_HASH } from './volumeDataHash.js';

export function isConstantPayload(payload: Uint8Array, shape: BlockShape): boolean {
  if (payload.byteLength === 0) return false;
  if (shape.format === VolumeDataFormat.Format_1Bit) {
    const first = payload[0]!;
    return (first === 0 || first === 0xff) && payload.every((b) => b === first);
  }
  const unit = formatByteSize(shape.format);
  const whole = unit * shape.components;
  for (let c = unit; c < whole; c++) if (payload[c] !== payload[c % unit]) return false;
  for (let i = whole; i < payload.byteLength; i++) if (payload[i] !== payload[i - whole]) return false;
  return true;
}

/** The hash of a constant payload, or undefined when its value cannot be represented by one. */
export function constantPayloadHash(payload: Uint8Array, shape: BlockShape, channel: ChannelValues): bigint | undefined {
  const hash = hashOfFirstElement(payload, shape, channel);
  const shapeOfOne: BlockShape = { ...shape, size: [1, 1, 1], components: 1 };
  const back = constantBlock(hash, { shape: shapeOfOne, channel, targetFormat: shape.format }, 1);
  const width = shape.format === VolumeDataFormat.Format_1Bit ? 1 : formatByteSize(shape.format);
  for (let i = 0; i < width; i++) {
    const expected = shape.format === VolumeDataFormat.Format_1Bit ? payload[0]! & 1 : payload[i]!;
    if ((shape.format === VolumeDataFormat.Format_1Bit ? back[0]! & 1 : back[i]) !== expected) return undefined;
  }
  return hash;
}

/**
 * OpenVDS's GetConstantValueVolumeDataHash: no-value when the element equals the channel's
 * no-value as ConvertNoValue<T> gives it (U8/U16: the top code; U32/U64: rounded in f32), else the
 * element's physical value.
 */
function hashOfFirstElement(payload: Uint8Array, shape: BlockShape, channel: ChannelValues): bigint {
  if (shape.format === VolumeDataFormat.Format_1Bit) return constantValueHash(payload[0] ? 1 : 0);
  const width = formatByteSize(shape.format);
  const value = Number(typedView(shape.format, payload.slice(0, width).buffer, 0, width)[0]!);
  const noValue = convertNoValue(shape.format, channel.noValue);
  if (channel.useNoValue && (value === noValue || (Number.isNaN(noValue) && Number.isNaN(value)))) return NOVALUE_HASH;
  return constantValueHash(isQuantizedFormat(shape.format) ? Math.fround(channel.integerOffset + Math.fround(channel.integerScale * value)) : value);
}
