// The layout hash OpenVDS derives from a layout (VolumeDataLayoutImpl::GetLayoutHash): a wrapping
// 64-bit weighted sum of descriptor fields, masked to 63 bits. Two layouts with the same hash can
// share cached chunks; the value is also how tests check we read a layout exactly as OpenVDS does.
import { VolumeDataComponents } from '../enums.js';
import type { VolumeDataAxisDescriptor, VolumeDataChannelDescriptor, VolumeDataLayoutDescriptor } from './descriptors.js';

const MASK64 = (1n << 64n) - 1n;
const wrap = (v: bigint): bigint => BigInt.asUintN(64, v);

function f32Bits(value: number): bigint {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, value, true);
  return BigInt(view.getUint32(0, true));
}

function componentsPacked(components: VolumeDataComponents): bigint {
  switch (components) {
    case VolumeDataComponents.Components_1: return 0n;
    case VolumeDataComponents.Components_2: return 1n;
    case VolumeDataComponents.Components_4: return 2n;
    default: return 0xffn;
  }
}

/** OpenVDS's case-sensitive ASCII string hash (bytes of the UTF-8 encoding, as signed chars). */
function exactStringHash(text: string): bigint {
  const bytes = new TextEncoder().encode(text);
  let total = 0n;
  let m0 = 0x78f1239a0bcde456n, m1 = 0x9abd23015ef6784cn, delta = 0xb256d09f3c78ae41n;
  for (const byte of bytes) {
    const signed = BigInt(byte >= 128 ? byte - 256 : byte);
    total = wrap(total + signed * m0);
    m0 = wrap(m0 + m1) ^ 0xa37d4ef12589bc60n;
    m1 = wrap(m1 + m0 * delta);
    m1 ^= BigInt.asUintN(64, BigInt.asIntN(64, m0) >> 23n);
    delta = wrap(delta + 0x09c761bde345a28fn) ^ 0x5def340178abc629n;
  }
  return total & 0x7fffffffffffffffn;
}

function channelHash(c: VolumeDataChannelDescriptor): bigint {
  let h = 0n;
  h += BigInt(c.format) * 0x9872350974325n;
  h += componentsPacked(c.components) * 0x2104972392057n;
  h += exactStringHash(c.name) + exactStringHash(c.unit);
  h += f32Bits(c.valueRangeMin) * 98953412543643n + f32Bits(c.valueRangeMax) * 45985432099125n;
  h += BigInt(c.mappedValueCount) * 0x6548675423497n;
  h += f32Bits(c.integerScale) * 0x3845365301871n + f32Bits(c.integerOffset) * 0x5879741098339n;
  h += (c.isRenderable() ? 1n : 0n) * 0x5432189723153n;
  return wrap(h);
}

export function layoutHash(
  layout: VolumeDataLayoutDescriptor, axes: readonly VolumeDataAxisDescriptor[], channels: readonly VolumeDataChannelDescriptor[],
): bigint {
  const primary = channels[0]!;
  const flag = (b: boolean) => (b ? 1n : 0n);
  let h = 0n;
  h += BigInt(layout.negativeMargin) * 56900043432n;
  h += BigInt(layout.positiveMargin) * 76755432236n;
  h += BigInt(layout.lodLevels) * 78111234535n;
  h += flag(layout.isCreate2DLODs()) * 92183678326n;
  h += BigInt(layout.brickSize) * 44322906541n;
  h += BigInt(primary.format) * 66542043254n;
  h += componentsPacked(primary.components) * 81528764823n;
  h += flag(primary.isDiscrete()) * 41895438942n;
  h += BigInt(axes.length - 1) * 89954354312n;
  h += flag(layout.isForceFullResolutionDimension()) * 443547515963n;
  h += BigInt(layout.isForceFullResolutionDimension() ? layout.fullResolutionDimension : -1) * 321500823418n;
  h += f32Bits(primary.integerScale) * 568478951336n;
  h += f32Bits(primary.integerOffset) * 458796213678n;
  if (primary.useNoValue) h += f32Bits(primary.noValue) * 57203371915n + 789314456921n;
  axes.forEach((axis, i) => { h += (BigInt(axis.numSamples) * 895243543543n + 953454356664n) * (65354363545n + 6575642n * BigInt(i)); });
  for (let lod = 0; lod <= layout.lodLevels; lod++) h += 4143824934n + 328543543n * BigInt(lod);
  for (const channel of channels.slice(1)) h += channelHash(channel);
  return wrap(h & MASK64) & 0x7fffffffffffffffn;
}
