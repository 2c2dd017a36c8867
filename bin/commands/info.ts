// `rxvds info URL`: the layout of a dataset (axes, channels, bricks, LODs, compression, chunk counts, metadata).
import { redactUrl } from '../../sources/redact.js';
import * as vds from '../../src/index.js';
import { type Command, UsageError } from '../lib/command.js';

export const infoCommand: Command = {
  usage: 'rxvds info URL [--connection STRING] [--json]',
  options: { json: { type: 'boolean' } },
  async run(positionals, values) {
    const [url] = positionals;
    if (!url || positionals.length > 1) throw new UsageError(`expected one URL\nUsage: ${this.usage}`);
    const dataset = await vds.open(url, String(values.connection ?? ''));
    try {
      const info = describe(redactUrl(url), dataset);
      console.log(values.json ? JSON.stringify(info, null, 2) : formatInfo(info));
    } finally {
      await vds.close(dataset, false);
    }
  },
};

interface LayerInfo { name: string; dimensionGroup: string; lod: number; channel: string; chunkCount: number;
  compression: string; tolerance: number; validChunkCount?: number; produceStatus: string }

function describe(url: string, dataset: vds.VDS) {
  const layout = vds.getLayout(dataset);
  const manager = vds.getAccessManager(dataset);
  const d = layout.getLayoutDescriptor();
  const dims = layout.getDimensionality();
  const layers: LayerInfo[] = dataset.layers.all.filter((l) => !l.isVirtual).map((l) => {
    const entry = dataset.layerStatusEntry(l);
    return {
      name: l.name, dimensionGroup: vds.DimensionsND[l.dimensionsND]!, lod: l.lod, channel: l.channelDescriptor.name,
      chunkCount: l.chunkCount,
      compression: entry ? vds.CompressionMethod[entry.compressionMethod]! : '-',
      tolerance: entry?.compressionTolerance ?? 0,
      validChunkCount: entry?.chunkMetadata?.validChunkCount,
      produceStatus: vds.VDSProduceStatus[manager.getVDSProduceStatus(l.dimensionsND, l.lod, l.channel)]!,
    };
  });
  return {
    url,
    layoutDescriptor: {
      brickSize: 1 << d.getBrickSize(), negativeMargin: d.getNegativeMargin(), positiveMargin: d.getPositiveMargin(),
      brickSize2DMultiplier: d.getBrickSizeMultiplier2D(), lodLevels: d.getLODLevels(),
      create2DLODs: d.isCreate2DLODs(), fullResolutionDimension: d.isForceFullResolutionDimension() ? d.getFullResolutionDimension() : -1,
    },
    axes: Array.from({ length: dims }, (_, i) => {
      const a = layout.getAxisDescriptor(i);
      return { name: a.getName(), unit: a.getUnit(), numSamples: a.getNumSamples(), coordinateMin: a.getCoordinateMin(), coordinateMax: a.getCoordinateMax() };
    }),
    channels: Array.from({ length: layout.getChannelCount() }, (_, i) => {
      const c = layout.getChannelDescriptor(i);
      return {
        name: c.getName(), unit: c.getUnit(), format: vds.VolumeDataFormat[c.getFormat()]!, components: c.getComponents(),
        valueRange: [c.getValueRangeMin(), c.getValueRangeMax()], mapping: vds.VolumeDataMapping[c.getMapping()]!,
        mappedValueCount: c.getMappedValueCount(), noValue: c.isUseNoValue() ? c.getNoValue() : null,
        integerScale: c.getIntegerScale(), integerOffset: c.getIntegerOffset(),
      };
    }),
    layers: layers.filter((l) => l.produceStatus !== 'Unavailable' || l.lod === 0),
    metadata: layout.getMetadataKeys().map((k) => ({ category: k.category, name: k.name, type: vds.MetadataType[k.type]!, value: metadataValue(layout, k) })),
  };
}

function metadataValue(layout: vds.VolumeDataLayout, key: vds.MetadataKey): unknown {
  const value = layout.getMetadata(key);
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (typeof value === 'string' && value.length > 200) return `${value.slice(0, 200)}…`;
  return value;
}

function formatInfo(info: ReturnType<typeof describe>): string {
  const lines = [`Dataset ${info.url}`, '', 'Layout:'];
  const l = info.layoutDescriptor;
  lines.push(`  brick ${l.brickSize}, margins ${l.negativeMargin}/${l.positiveMargin}, 2D multiplier ${l.brickSize2DMultiplier}, ` +
    `LOD levels ${l.lodLevels}${l.create2DLODs ? ', 2D LODs' : ''}${l.fullResolutionDimension >= 0 ? `, full-resolution dimension ${l.fullResolutionDimension}` : ''}`);
  lines.push('', 'Axes:');
  info.axes.forEach((a, i) => lines.push(`  ${i}: ${a.name.padEnd(10)} ${String(a.numSamples).padStart(7)} samples  ${a.coordinateMin} … ${a.coordinateMax} ${a.unit}`));
  lines.push('', 'Channels:');
  info.channels.forEach((c, i) => lines.push(`  ${i}: ${c.name.padEnd(16)} ${c.format} ×${c.components} ${c.mapping}` +
    `${c.mapping === 'PerTrace' ? `(${c.mappedValueCount})` : ''} range [${c.valueRange.join(', ')}]${c.noValue !== null ? ` noValue ${c.noValue}` : ''}`));
  lines.push('', 'Layers:');
  for (const layer of info.layers) {
    lines.push(`  ${layer.name.padEnd(36)} ${layer.produceStatus.padEnd(11)} ${String(layer.chunkCount).padStart(7)} chunks` +
      `${layer.validChunkCount !== undefined ? ` (${layer.validChunkCount} written)` : ''}  ${layer.compression}` +
      `${layer.tolerance && layer.compression.startsWith('Wavelet') ? ` tolerance ${layer.tolerance}` : ''}`);
  }
  if (info.metadata.length) {
    lines.push('', 'Metadata:');
    for (const m of info.metadata) lines.push(`  ${m.category ? `${m.category}.` : ''}${m.name} (${m.type}): ${JSON.stringify(m.value)}`);
  }
  return lines.join('\n');
}
