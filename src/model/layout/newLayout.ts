// What `create` demands of a layout beyond the rules it shares with open (validateLayout, which
// already refuses "/", "\\" and NUL in channel names): names that round-trip through JSON and
// OpenVDS's C strings, and channels OpenVDS 3.4 can store.
import { VolumeDataComponents, VolumeDataFormat } from '../enums.js';
import { InvalidArgumentError } from '../errors.js';
import type { VolumeDataAxisDescriptor, VolumeDataChannelDescriptor } from './descriptors.js';

// OpenVDS reads names as C strings (a NUL ends them) and lone surrogates do not survive UTF-8.
const CONTROL = /[\u0000-\u001f\u007f]/;
const LONE_SURROGATE = /\p{Cs}/u;

/** Throws an InvalidArgumentError naming the first descriptor whose names `create` refuses. */
export function validateNewLayout(axes: readonly VolumeDataAxisDescriptor[], channels: readonly VolumeDataChannelDescriptor[]): void {
  axes.forEach((axis, d) => {
    checkText(axis.name, `Axis ${d} name`);
    checkText(axis.unit, `Axis ${d} unit`);
  });
  channels.forEach((channel, c) => {
    checkText(channel.unit, `Channel ${c} unit`);
    if (hasComponentBits(channel)) {
      const components = VolumeDataComponents[channel.components];
      throw new InvalidArgumentError(`Channel ${c} (${JSON.stringify(channel.name)}) cannot be created as Format_1Bit with ${components}: ` +
        `${COMPONENT_BITS_LIMIT}, so it can neither store nor read such data; use Format_U8 with ${components}, or one 1-bit channel per component`);
    }
    // A channel's name starts its layers' object keys (`<name>Dimensions_012LOD0/<chunk>`).
    if (CONTROL.test(channel.name) || LONE_SURROGATE.test(channel.name)) {
      throw new InvalidArgumentError(`Channel ${c} name ${JSON.stringify(channel.name)} cannot be stored: channel names become ` +
        'part of object keys, so they may not contain control characters or unpaired surrogates');
    }
  });
}

/**
 * OpenVDS 3.4 lays a 1Bit DataBlock out in rows of sizeX·components bits, but sizes its serialized
 * payload and its request buffers without the components (GetByteSize, GetElementSize): writing such a
 * chunk overruns its buffer and keeps only a part of the rows, and a Format_1Bit request overruns the
 * caller's buffer. Only constant chunks read in another format are defined.
 */
export const COMPONENT_BITS_LIMIT = 'OpenVDS 3.4 sizes 1-bit chunks and request buffers without their components';

/** A 1Bit channel of 2 or 4 components, which OpenVDS 3.4 cannot write (COMPONENT_BITS_LIMIT). */
export function hasComponentBits(channel: { format: VolumeDataFormat; components: VolumeDataComponents }): boolean {
  return channel.format === VolumeDataFormat.Format_1Bit && channel.components !== VolumeDataComponents.Components_1;
}

function checkText(text: unknown, what: string): void {
  if (typeof text !== 'string' || text.includes('\0') || LONE_SURROGATE.test(text)) {
    throw new InvalidArgumentError(`${what} ${JSON.stringify(text)} cannot be stored: it must be a string without NUL characters or unpaired surrogates`);
  }
}
