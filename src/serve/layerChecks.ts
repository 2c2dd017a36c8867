// Which layers the routes read: an LOD that was produced, and a channel with one value per voxel
// (a per-trace channel has no sample axis to slice or sample; a multi-component one no single value).
import type { VDS } from '../api/vds.js';
import { VolumeDataMapping } from '../model/enums.js';
import { badRequest } from './httpErrors.js';
import { readableLods } from './metadata.js';

export function checkChannel(vds: VDS, channel: number): void {
  const layout = vds.layout;
  const channels = layout.getChannelCount();
  if (channel >= channels) throw badRequest('channel', `channel ${channel} does not exist (this dataset has ${channels}: 0…${channels - 1})`);
  const name = layout.getChannelName(channel);
  if (layout.getChannelMapping(channel) !== VolumeDataMapping.Direct) throw badRequest('channel', `channel ${channel} (${name}) has one value per trace, not per sample`);
  const components = layout.getChannelComponents(channel) as number;
  if (components !== 1) throw badRequest('channel', `channel ${channel} (${name}) has ${components} components per sample; the service reads 1-component channels`);
}

export function checkLod(vds: VDS, lod: number): void {
  const lods = readableLods(vds);
  if (!lods.includes(lod)) throw badRequest('lod', `LOD ${lod} is not available (this dataset has LOD ${lods.join(', ')})`);
}
