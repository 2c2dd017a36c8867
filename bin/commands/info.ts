// `rxvds info URL`: what OpenVDS's VDSInfo prints (layout, axes with annotation ranges, channels,
// LOD layers with their produce status and compression, metadata) plus the SEG-Y textual header
// decoded from EBCDIC or ASCII and the size of the dataset in its store.
import { stat } from 'node:fs/promises';
import { openStore } from '../../sources/stores/openStore.js';
import { redactUrl } from '../../sources/stores/redact.js';
import { isListable, objectInfo, type ReadableStore } from '../../sources/stores/store.js';
import * as vds from '../../src/index.js';
import { detectTextEncoding, textHeaderToString } from '../../src/segy/textHeader.js';
import { type Command, type OptionValues, UsageError } from '../lib/command.js';

/** VDSInfo's section flags; with none given every section is printed. */
const SECTIONS = ['layout', 'axis', 'channels', 'text-header', 'metadata-all'] as const;
type Section = (typeof SECTIONS)[number];

export const infoCommand: Command = {
  usage: 'rxvds info (URL | --url URL) [--connection STRING] [--json | --json-output] [--layout] [--axis] [--channels] [--text-header] [--metadata-all]',
  options: {
    url: { type: 'string' }, json: { type: 'boolean' }, 'json-output': { type: 'boolean' },
    ...Object.fromEntries(SECTIONS.map((s) => [s, { type: 'boolean' } as const])),
  },
  async run(positionals, values) {
    const url = values.url === undefined ? positionals[0] : String(values.url);
    if (!url || positionals.length > (values.url === undefined ? 1 : 0)) throw new UsageError(`expected one URL\nUsage: ${this.usage}`);
    const connection = String(values.connection ?? '');
    const dataset = await vds.open(url, connection);
    try {
      const info = { ...describe(redactUrl(url), dataset), sizeOnDisk: await sizeOnDisk(url, connection) };
      const sections = chosenSections(values);
      console.log(values.json || values['json-output'] ? JSON.stringify(pick(info, sections), null, 2) : formatInfo(info, sections));
    } finally {
      await vds.close(dataset, false);
    }
  },
};

function chosenSections(values: OptionValues): ReadonlySet<Section> {
  const chosen = SECTIONS.filter((s) => values[s] === true);
  return new Set(chosen.length ? chosen : SECTIONS);
}

/** The JSON of the chosen sections (the URL, compression and size always). */
function pick(info: Info, sections: ReadonlySet<Section>): Partial<Info> {
  const { layoutDescriptor, layers, axes, channels, textHeader, metadata, ...always } = info;
  return {
    ...always,
    ...(sections.has('layout') && { layoutDescriptor, layers }),
    ...(sections.has('axis') && { axes }),
    ...(sections.has('channels') && { channels }),
    ...(sections.has('text-header') && textHeader && { textHeader }),
    ...(sections.has('metadata-all') && { metadata }),
  };
}

/** Bytes and objects of a dataset in its store; null for a store that cannot list (plain http). */
type SizeOnDisk = { bytes: number; objects: number } | null;

/**
 * Bytes the dataset takes in its store: a local `.vds` file's size, else the sum of its objects'
 * sizes (one `head` per object, a few at a time).
 */
async function sizeOnDisk(url: string, connection: string): Promise<SizeOnDisk> {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^file:/i.test(url)) {
    const path = /^file:/i.test(url) ? new URL(url) : url;
    const stats = await stat(path);
    if (stats.isFile()) return { bytes: stats.size, objects: 1 };
  }
  const { store } = openStore(url, connection);
  try {
    return await sumObjectSizes(store);
  } finally {
    await store.close?.();
  }
}

async function sumObjectSizes(store: ReadableStore): Promise<SizeOnDisk> {
  // A store without listing (http://) has no size to sum.
  if (!isListable(store)) return null;
  const keys: string[] = [];
  for await (const key of store.list()) keys.push(key);
  let bytes = 0;
  const batch = 16;
  for (let i = 0; i < keys.length; i += batch) {
    const infos = await Promise.all(keys.slice(i, i + batch).map((k) => objectInfo(store, k)));
    for (const info of infos) bytes += info?.size ?? 0;
  }
  return { bytes, objects: keys.length };
}

type Info = ReturnType<typeof describe> & { sizeOnDisk: SizeOnDisk };

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
      const n = a.getNumSamples();
      return { name: a.getName(), unit: a.getUnit(), numSamples: n, coordinateMin: a.getCoordinateMin(), coordinateMax: a.getCoordinateMax(),
        coordinateStep: n > 1 ? (a.getCoordinateMax() - a.getCoordinateMin()) / (n - 1) : 0 };
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
    // The compression of the primary channel's stored LOD 0 (remapped layers have no status entry of their own).
    compression: layers.find((l) => l.lod === 0 && l.channel === layout.getChannelName(0) && l.compression !== '-')?.compression ?? '-',
    layers: layers.filter((l) => l.produceStatus !== 'Unavailable' || l.lod === 0),
    textHeader: textHeader(layout),
    metadata: layout.getMetadataKeys().map((k) => ({ category: k.category, name: k.name, type: vds.MetadataType[k.type]!, value: metadataValue(layout, k) })),
  };
}

/** The SEG-Y textual header kept by an import: 40 lines of 80 characters, decoded from EBCDIC or ASCII. */
function textHeader(layout: vds.VolumeDataLayout): { encoding: string; lines: string[] } | undefined {
  const key = vds.KnownMetadata.segyTextHeader();
  if (!layout.isMetadataBLOBAvailable(key.category, key.name)) return undefined;
  const blob = layout.getMetadataBLOB(key.category, key.name);
  const encoding = detectTextEncoding(blob);
  return { encoding, lines: textHeaderToString(blob, encoding).split('\n') };
}

function metadataValue(layout: vds.VolumeDataLayout, key: vds.MetadataKey): unknown {
  const value = layout.getMetadata(key);
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (typeof value === 'string' && value.length > 200) return `${value.slice(0, 200)}…`;
  return value;
}

function formatInfo(info: Info, sections: ReadonlySet<Section>): string {
  const size = info.sizeOnDisk;
  const lines = [`Dataset ${info.url}`, `  ${size ? `${formatBytes(size.bytes)} in ${size.objects} object${size.objects === 1 ? '' : 's'}` : 'size unknown (the store cannot list)'}, ` +
    `compression ${info.compression}`];
  if (sections.has('layout')) formatLayout(info, lines);
  if (sections.has('axis')) {
    lines.push('', 'Axes:');
    info.axes.forEach((a, i) => lines.push(`  ${i}: ${a.name.padEnd(10)} ${String(a.numSamples).padStart(7)} samples  ${a.coordinateMin} … ${a.coordinateMax}` +
      ` step ${a.coordinateStep} ${a.unit}`));
  }
  if (sections.has('channels')) {
    lines.push('', 'Channels:');
    info.channels.forEach((c, i) => lines.push(`  ${i}: ${c.name.padEnd(16)} ${c.format} ×${c.components} ${c.mapping}` +
      `${c.mapping === 'PerTrace' ? `(${c.mappedValueCount})` : ''} range [${c.valueRange.join(', ')}]${c.unit ? ` ${c.unit}` : ''}${c.noValue !== null ? ` noValue ${c.noValue}` : ''}`));
  }
  if (sections.has('text-header') && info.textHeader) {
    lines.push('', `SEG-Y textual header (${info.textHeader.encoding}):`, ...info.textHeader.lines.map((line) => `  ${line}`));
  }
  if (sections.has('metadata-all') && info.metadata.length) {
    lines.push('', 'Metadata:');
    for (const m of info.metadata) lines.push(`  ${m.category ? `${m.category}.` : ''}${m.name} (${m.type}): ${JSON.stringify(m.value)}`);
  }
  return lines.join('\n');
}

/** "165,060 bytes (0.17 MB)". */
function formatBytes(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} bytes${bytes >= 1e5 ? ` (${(bytes / 1e6).toFixed(2)} MB)` : ''}`;
}

function formatLayout(info: Info, lines: string[]): void {
  lines.push('', 'Layout:');
  const l = info.layoutDescriptor;
  lines.push(`  brick ${l.brickSize}, margins ${l.negativeMargin}/${l.positiveMargin}, 2D multiplier ${l.brickSize2DMultiplier}, ` +
    `LOD levels ${l.lodLevels}${l.create2DLODs ? ', 2D LODs' : ''}${l.fullResolutionDimension >= 0 ? `, full-resolution dimension ${l.fullResolutionDimension}` : ''}`);
  lines.push('', 'Layers:');
  for (const layer of info.layers) {
    lines.push(`  ${layer.name.padEnd(36)} ${layer.produceStatus.padEnd(11)} ${String(layer.chunkCount).padStart(7)} chunks` +
      `${layer.validChunkCount !== undefined ? ` (${layer.validChunkCount} written)` : ''}  ${layer.compression}` +
      `${layer.tolerance && layer.compression.startsWith('Wavelet') ? ` tolerance ${layer.tolerance}` : ''}`);
  }
}
