// What `create` demands of a layout beyond OpenVDS's own rules (validateLayout): names that
// round-trip through object keys, JSON and OpenVDS's C strings, and a layer set that fits in memory.
import { InvalidArgumentError } from '../errors.js';
import { VolumeDataLayers } from '../geometry/layers.js';
import type { VolumeDataAxisDescriptor, VolumeDataChannelDescriptor, VolumeDataLayoutDescriptor } from './descriptors.js';

/** Layers (dimension groups × LODs × channels) a new layout may have; each costs about 1 KB once opened. */
export const MAX_LAYERS = 100_000;

// OpenVDS reads names as C strings (a NUL ends them) and lone surrogates do not survive UTF-8.
const CONTROL = /[\u0000-\u001f\u007f]/;
const LONE_SURROGATE = /\p{Cs}/u;

/** Throws an InvalidArgumentError naming the first descriptor whose names or size `create` refuses. */
export function validateNewLayout(layout: VolumeDataLayoutDescriptor, axes: readonly VolumeDataAxisDescriptor[],
  channels: readonly VolumeDataChannelDescriptor[]): void {
  // First: it costs the same for any channel count.
  const layersPerChannel = new VolumeDataLayers({ layoutDescriptor: layout, axisDescriptors: axes, channelDescriptors: channels.slice(0, 1) }).all.length;
  if (layersPerChannel * channels.length > MAX_LAYERS) {
    throw new InvalidArgumentError(`The layout would have ${(layersPerChannel * channels.length).toLocaleString('en-US')} layers ` +
      `(${channels.length} channels × ${layersPerChannel} per channel); the limit is ${MAX_LAYERS.toLocaleString('en-US')}`);
  }
  axes.forEach((axis, d) => {
    checkText(axis.name, `Axis ${d} name`);
    checkText(axis.unit, `Axis ${d} unit`);
  });
  channels.forEach((channel, c) => {
    checkText(channel.unit, `Channel ${c} unit`);
    // A channel's name starts its layers' object keys (`<name>Dimensions_012LOD0/<chunk>`).
    if (typeof channel.name !== 'string' || CONTROL.test(channel.name) || /[/\\]/.test(channel.name) || LONE_SURROGATE.test(channel.name)) {
      throw new InvalidArgumentError(`Channel ${c} name ${JSON.stringify(channel.name)} cannot be stored: channel names become ` +
        'part of object keys, so they may not contain "/", "\\", control characters or unpaired surrogates');
    }
  });
}

function checkText(text: unknown, what: string): void {
  if (typeof text !== 'string' || text.includes('\0') || LONE_SURROGATE.test(text)) {
    throw new InvalidArgumentError(`${what} ${JSON.stringify(text)} cannot be stored: it must be a string without NUL characters or unpaired surrogates`);
  }
}
