// What `create` demands of a layout beyond the rules it shares with open (validateLayout, which
// already refuses "/", "\\" and NUL in channel names): names that round-trip through JSON and
// OpenVDS's C strings.
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
    // A channel's name starts its layers' object keys (`<name>Dimensions_012LOD0/<chunk>`).
    if (CONTROL.test(channel.name) || LONE_SURROGATE.test(channel.name)) {
      throw new InvalidArgumentError(`Channel ${c} name ${JSON.stringify(channel.name)} cannot be stored: channel names become ` +
        'part of object keys, so they may not contain control characters or unpaired surrogates');
    }
  });
}

function checkText(text: unknown, what: string): void {
  if (typeof text !== 'string' || text.includes('\0') || LONE_SURROGATE.test(text)) {
    throw new InvalidArgumentError(`${what} ${JSON.stringify(text)} cannot be stored: it must be a string without NUL characters or unpaired surrogates`);
  }
}
