// Child process of the hostile-dataset fuzz spec: runs cases `first … first+count-1` of a seeded
// run. Each case mutates one dataset of the corpus (layout JSON, LayerStatus, a metadata page, a
// chunk, or the bytes of a .vds file), then opens it, walks its layout as `rxvds info` does and
// reads a little. It prints one JSON line when a case starts (so the parent can name the case that
// crashed or hung the process) and one with its outcome.
// Usage: node --import=tsx hostileDatasetsChild.ts CONFIG_JSON_PATH
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import * as vds from '../../src/index.js';
import type { VolumeDataLayer } from '../../src/model/geometry/layers.js';
import type { FullStore } from './fullStore.js';
import { OverlayStore } from './overlayStore.js';
import { seededRandom } from './random.js';

export interface FuzzDataset {
  name: string;
  /** A folder dataset, a `.vds` file, or the two JSON objects alone (held in memory). */
  kind: 'folder' | 'vds' | 'json';
  path?: string;
  layoutPath?: string;
  statusPath?: string;
}

export interface FuzzConfig {
  seed: number;
  first: number;
  count: number;
  datasets: FuzzDataset[];
  /** Where mutated `.vds` copies are written. */
  scratch: string;
}

/**
 * What the child reports: a line when a case starts, then its outcome. `plain-error` is a bare
 * `Error` from a read while the worker pool is known to strip error classes (issue 12.7; see
 * `workerErrorsKeepClass`): tolerated and counted, never taken for a clean error.
 */
export type Outcome = 'ok' | 'error' | 'plain-error' | 'bad-error' | 'timeout';
export type CaseReport =
  | { case: number; start: true; what: string }
  | { case: number; outcome: Outcome; what: string; ms: number; class?: string; message?: string; skipped?: number }
  | { probe: true; workerErrorsKeepClass: boolean };

// Generous: the machine running CI may be loaded; a real hang never ends.
const OPERATION_TIMEOUT_MS = 10_000;
/** Chunks larger than this are not read: refusing huge requests is another check (issue 12.3), not this fuzz's. */
const MAX_READ_CHUNK_VOXELS = 1 << 22;
const CLEAN_ERRORS = [vds.ReadError, vds.InvalidArgumentError, vds.InvalidOperationError, vds.CanceledError];

type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const int = (random: Random, n: number) => Math.floor(random() * n);

// ---- JSON mutations

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

const EXTREMES: Json[] = [null, true, false, 0, -1, 1, 2, 3, 16, 31, 32, 33, 64, 4096, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 53, 2 ** 64,
  1e308, -1e308, 1e39, 5e-324, 0.5, -0.5, 1.5, '', 'x', '0', '-1', 'NaN', [], {}, [0, 0], [1, 2, 3], { a: 1 }];
const SPELLINGS: Json[] = ['BrickSize_32', 'BrickSize_4096', 'BrickSize_16', 'LODLevels_None', 'LODLevels_12', 'LODLevels_13', 'Format_Any',
  'Format_1Bit', 'Format_U8', 'Format_U64', 'Components_2', 'Components_4', 'Direct', 'PerTrace', 'Normal', 'Unavailable', 'Remapped', 'None',
  'RLE', 'Zip', 'Wavelet', 'WaveletLossless', 'WaveletNormalizeBlockExperimental', 'Int', 'BLOB', 'DoubleVector4', 'String',
  'Dimensions_012LOD0', 'Dimensions_012LOD1', 'Dimensions_01LOD0', 'Dimensions_012', 'Dimensions_01', 'Amplitude', 'Value', '../x', 'a/b'];

/** Paths of every non-empty object and array in `value`, the root first. */
function containers(value: Json, at: Path = [], out: Path[] = []): Path[] {
  if (value === null || typeof value !== 'object' || Object.keys(value).length === 0) return out;
  out.push(at);
  for (const [k, v] of Object.entries(value)) containers(v, [...at, Array.isArray(value) ? Number(k) : k], out);
  return out;
}

function getAt(root: Json, path: Path): Json {
  return path.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k]!, root);
}

function setAt(root: Json, path: Path, value: Json | undefined): Json {
  if (path.length === 0) return value ?? null;
  const parent = getAt(root, path.slice(0, -1)) as Record<string | number, Json> & Json[];
  const key = path.at(-1)!;
  if (value !== undefined) parent[key] = value;
  else if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete parent[key];
  return root;
}

/** One structural edit of `root` (returned, possibly replaced) and what it did. */
function mutateJson(root: Json, random: Random): { root: Json; what: string } {
  // A member of a random object or array: the 16 adaptive-level sizes of a LayerStatus entry weigh
  // as much as the entry's other members together, not 16 times more.
  const parents = containers(root);
  const parent = parents.length && random() < 0.99 ? pick(random, parents) : undefined;
  const keys = parent ? Object.keys(getAt(root, parent) as object) : [];
  const path = parent ? [...parent, Array.isArray(getAt(root, parent)) ? Number(pick(random, keys)) : pick(random, keys)] : [];
  const where = `$${path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('')}`;
  const old = getAt(root, path);
  const r = random();
  if (r < 0.2) return { root: setAt(root, path, undefined), what: `delete ${where}` };
  if (r < 0.45 && typeof old === 'number') {
    const value = pick(random, [old + 1, old - 1, old * 2, -old, old * 1e6, old + 0.5, Math.floor(old / 2), 0, -1]);
    return { root: setAt(root, path, value), what: `${where} = ${value}` };
  }
  if (r < 0.55 && typeof old === 'number') return { root: setAt(root, path, String(old)), what: `${where} = "${old}"` };
  if (r < 0.65 && Array.isArray(old) && old.length > 0) {
    const i = int(random, old.length);
    const copies = random() < 0.8 ? 1 : pick(random, [10, 300]);
    old.splice(i, 0, ...Array.from({ length: copies }, () => structuredClone(old[i]!)));
    return { root, what: `${copies} ${copies > 1 ? 'copies' : 'copy'} of ${where}[${i}]` };
  }
  if (r < 0.75) {
    const value = pick(random, SPELLINGS);
    return { root: setAt(root, path, value), what: `${where} = ${JSON.stringify(value)}` };
  }
  const value = structuredClone(pick(random, EXTREMES));
  return { root: setAt(root, path, value), what: `${where} = ${JSON.stringify(value)}` };
}

/** A text-level edit of a JSON document: cuts, stray characters, a flipped byte. */
function mutateText(bytes: Uint8Array, random: Random): { bytes: Uint8Array; what: string } {
  const at = int(random, bytes.length + 1);
  const r = random();
  if (r < 0.4) return { bytes: bytes.slice(0, at), what: `cut at ${at}` };
  if (r < 0.6) return { bytes: Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + 1)]), what: `drop byte ${at}` };
  if (r < 0.8) {
    const c = pick(random, [...'{}[],:"0-e.\\', '\u0000']).charCodeAt(0);
    return { bytes: Uint8Array.from([...bytes.subarray(0, at), c, ...bytes.subarray(at)]), what: `insert ${JSON.stringify(String.fromCharCode(c))} at ${at}` };
  }
  const copy = bytes.slice();
  if (copy.length) copy[Math.min(at, copy.length - 1)] ^= 1 << int(random, 8);
  return { bytes: copy, what: `flip a bit of byte ${at}` };
}

// ---- Byte mutations (pages, chunks, .vds files)

const INT32S = [0, 1, -1, 2, 3, 4, 7, 8, 24, 100, 255, 256, 65535, 0x7fffffff, -0x80000000, 1e6, 1 << 20];

function mutateBytes(bytes: Uint8Array, random: Random, entryBytes?: number): { bytes: Uint8Array | undefined; what: string } {
  const r = random();
  const copy = bytes.slice();
  if (r < 0.08) return { bytes: undefined, what: 'removed' };
  if (r < 0.25) {
    const length = pick(random, [0, 1, 7, 8, 23, 24, 25, int(random, bytes.length + 1), bytes.length - 1]);
    return { bytes: bytes.slice(0, Math.max(0, length)), what: `cut to ${Math.max(0, length)} bytes` };
  }
  if (r < 0.45) {
    const n = 1 + int(random, 8);
    for (let k = 0; k < n && copy.length; k++) copy[int(random, Math.min(copy.length, random() < 0.5 ? 64 : copy.length))] ^= 1 << int(random, 8);
    return { bytes: copy, what: `${n} bit flips` };
  }
  if (r < 0.65 && copy.length >= 4) {
    const at = 4 * int(random, Math.min(copy.length >> 2, 16));
    const value = pick(random, INT32S);
    new DataView(copy.buffer).setInt32(at, value, true);
    return { bytes: copy, what: `int32 at ${at} = ${value}` };
  }
  if (r < 0.8 && entryBytes && copy.length >= entryBytes) {
    // A metadata entry: a special or random hash, and for wavelet entries a size.
    const entry = int(random, copy.length / entryBytes);
    const view = new DataView(copy.buffer, entry * entryBytes);
    const hashAt = entryBytes === 28 ? 4 : 0;
    const hash = pick(random, [0n, 0xFFFFFFFFFFFFFFFFn, 0x0101010100000000n | BigInt(int(random, 2 ** 32)), BigInt(int(random, 2 ** 32)) << 16n]);
    view.setBigUint64(hashAt, hash, true);
    if (entryBytes === 28) view.setUint32(0, pick(random, [0, 1, 24, 0xffffffff, int(random, 1 << 20)]), true);
    return { bytes: copy, what: `entry ${entry}: hash 0x${hash.toString(16)}` };
  }
  if (r < 0.9) {
    const extra = Uint8Array.from({ length: 1 + int(random, 64) }, () => int(random, 256));
    return { bytes: Uint8Array.from([...copy, ...extra]), what: `${extra.length} bytes appended` };
  }
  const start = int(random, copy.length + 1);
  const n = Math.min(copy.length - start, 1 + int(random, 32));
  for (let k = 0; k < n; k++) copy[start + k] = int(random, 256);
  return { bytes: copy, what: `${n} random bytes at ${start}` };
}

// ---- The corpus

interface LoadedDataset {
  spec: FuzzDataset;
  store: FullStore;
  layout: Uint8Array;
  status: Uint8Array;
  chunkKeys: string[];
  pages: { key: string; entryBytes: number }[];
  fileBytes?: Uint8Array;
}

async function load(spec: FuzzDataset, index: number): Promise<LoadedDataset> {
  let store: FullStore;
  // A .vds file is only changed byte by byte: it has no objects to replace.
  if (spec.kind === 'vds') {
    return { spec, store: new vds.MemoryStore(`fuzz-${process.pid}-${index}-unused`), layout: new Uint8Array(), status: new Uint8Array(),
      chunkKeys: [], pages: [], fileBytes: new Uint8Array(readFileSync(spec.path!)) };
  }
  if (spec.kind === 'folder') store = new vds.FolderStore(spec.path!);
  else {
    store = new vds.MemoryStore(`fuzz-${process.pid}-${index}`);
    await store.set('VolumeDataLayout', readFileSync(spec.layoutPath!));
    await store.set('LayerStatus', readFileSync(spec.statusPath!));
  }
  const layout = (await store.get('VolumeDataLayout'))!;
  const status = (await store.get('LayerStatus'))!;
  const chunkKeys: string[] = [];
  for await (const key of store.list()) if (/\/\d+$/.test(key) && !key.includes('/ChunkMetadata/')) chunkKeys.push(key);
  const pages: { key: string; entryBytes: number }[] = [];
  for (const entry of JSON.parse(new TextDecoder().decode(status)) as Record<string, any>[]) { // eslint-disable-line @typescript-eslint/no-explicit-any
    if (!entry.hasChunkMetadataPages) continue;
    const count = Math.ceil(entry.chunkCount / entry.chunkMetadataPageSize);
    for (let page = 0; page < count; page++) {
      const name = entry.pageDirectory ? entry.pageDirectory[page] : page;
      if (name !== -1) pages.push({ key: `${entry.layerName}/ChunkMetadata/${name}`, entryBytes: entry.chunkMetadataByteSize });
    }
  }
  chunkKeys.sort();
  return { spec, store, layout, status, chunkKeys, pages };
}

// ---- One case

interface Prepared {
  what: string;
  /** A store to open, or a path (mutated `.vds` copy). */
  target: vds.Store | string;
  /** The chunk that was changed, to read it back. */
  chunkKey?: string;
  cleanup?: () => void;
}

async function prepare(dataset: LoadedDataset, random: Random, caseIndex: number, scratch: string): Promise<Prepared> {
  const store = new OverlayStore(dataset.store, 'fuzz');
  const r = random();
  const kinds = dataset.spec.kind === 'json' ? 'json' : dataset.spec.kind === 'vds' ? 'file' : r < 0.3 ? 'layout' : r < 0.5 ? 'status' : r < 0.65 ? 'page' : r < (dataset.fileBytes ? 0.85 : 1) ? 'chunk' : 'file';
  const name = dataset.spec.name;
  if (kinds === 'layout' || kinds === 'status' || kinds === 'json') {
    const key = kinds === 'status' || (kinds === 'json' && random() < 0.4) ? 'LayerStatus' : 'VolumeDataLayout';
    const original = key === 'LayerStatus' ? dataset.status : dataset.layout;
    let root = JSON.parse(new TextDecoder().decode(original)) as Json;
    const edits: string[] = [];
    for (let n = 1 + int(random, 3); n > 0; n--) {
      const edit = mutateJson(root, random);
      root = edit.root;
      edits.push(edit.what);
    }
    let bytes: Uint8Array = new TextEncoder().encode(JSON.stringify(root));
    if (random() < 0.15) {
      const edit = mutateText(bytes, random);
      bytes = edit.bytes;
      edits.push(edit.what);
    }
    store.replace(key, bytes);
    return { what: `${name}: ${key} ${edits.join('; ')}`, target: store };
  }
  if (kinds === 'page' && dataset.pages.length) {
    const { key, entryBytes } = pick(random, dataset.pages);
    const original = (await dataset.store.get(key)) ?? new Uint8Array(0);
    const edit = mutateBytes(original, random, entryBytes);
    store.replace(key, edit.bytes);
    return { what: `${name}: page ${key} ${edit.what}`, target: store };
  }
  if (kinds === 'file') {
    const copy = dataset.fileBytes!.slice();
    let what: string;
    if (random() < 0.3) {
      const length = int(random, copy.length);
      what = `file cut to ${length} bytes`;
      writeFileSync(join(scratch, `case${caseIndex}.vds`), copy.slice(0, length));
    } else {
      const n = 1 + int(random, 16);
      // Structures (header, file table, index pages, layout text) sit in the first and last kilobytes.
      for (let k = 0; k < n; k++) {
        const at = random() < 0.7 ? int(random, Math.min(copy.length, 16384)) : copy.length - 1 - int(random, Math.min(copy.length, 16384));
        copy[at] = random() < 0.5 ? copy[at]! ^ (1 << int(random, 8)) : int(random, 256);
      }
      what = `${n} bytes changed in the file`;
      writeFileSync(join(scratch, `case${caseIndex}.vds`), copy);
    }
    const path = join(scratch, `case${caseIndex}.vds`);
    return { what: `${name}: ${what}`, target: path, cleanup: () => { rmSync(path, { force: true }); rmSync(`${path}.lock`, { force: true }); } };
  }
  const key = pick(random, dataset.chunkKeys);
  const edit = mutateBytes((await dataset.store.get(key)) ?? new Uint8Array(0), random);
  store.replace(key, edit.bytes);
  return { what: `${name}: chunk ${key} ${edit.what}`, target: store, chunkKey: key };
}

class Timeout extends Error {}

/** Whether a decode failure in a worker still arrives as a ChunkFormatError: reads a chunk of zeros. */
async function probeWorkerErrors(dataset: LoadedDataset): Promise<boolean> {
  const store = new OverlayStore(dataset.store, 'probe');
  const key = dataset.chunkKeys[0]!;
  store.replace(key, new Uint8Array(((await dataset.store.get(key))?.length ?? 0) + 100));
  const opened = await vds.open(store);
  try {
    const layer = opened.layers.byLayerName(key.slice(0, key.lastIndexOf('/')))!;
    const { min } = layer.partition.chunkMinMax(Number(key.slice(key.lastIndexOf('/') + 1)), false);
    const one = min.slice(0, vds.getLayout(opened).getDimensionality());
    await lastValueFrom(vds.getAccessManager(opened).volumeSubset$(one, one.map((v) => v + 1), { lod: layer.lod, channel: layer.channel }));
    throw new Error(`probe: a chunk of zeros decoded in ${dataset.spec.name}`);
  } catch (error) {
    return error instanceof vds.ChunkFormatError;
  } finally {
    await opened.close(false);
  }
}

function limited<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Timeout(`${what} took over ${OPERATION_TIMEOUT_MS} ms`)), OPERATION_TIMEOUT_MS); });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Walks the layout as `rxvds info` does; returns reads skipped for their size. */
async function exercise(dataset: vds.VDS, random: Random, chunkKey: string | undefined): Promise<number> {
  const layout = vds.getLayout(dataset);
  const manager = vds.getAccessManager(dataset);
  const d = layout.getLayoutDescriptor();
  const facts: unknown[] = [d.getBrickSize(), d.getNegativeMargin(), d.getPositiveMargin(), d.getBrickSizeMultiplier2D(), d.getLODLevels(),
    d.isCreate2DLODs(), d.getFullResolutionDimension(), layout.getContentsHash()];
  for (let i = 0; i < layout.getDimensionality(); i++) {
    const a = layout.getAxisDescriptor(i);
    facts.push(a.getName(), a.getUnit(), a.getNumSamples(), a.getCoordinateMin(), a.getCoordinateMax(), a.getCoordinateStep());
  }
  for (let i = 0; i < layout.getChannelCount(); i++) {
    const c = layout.getChannelDescriptor(i);
    facts.push(c.getName(), c.getFormat(), c.getComponents(), c.getValueRangeMin(), c.getNoValue(), c.getMapping(), c.getMappedValueCount());
  }
  for (const key of layout.getMetadataKeys()) facts.push(layout.getMetadata(key));
  const layers = dataset.layers.all.filter((l) => !l.isVirtual);
  for (const l of layers) {
    facts.push(manager.getVDSProduceStatus(l.dimensionsND, l.lod, l.channel), manager.getVDSChunkCount(l.dimensionsND, l.lod, l.channel),
      dataset.layerStatusEntry(l)?.chunkMetadata?.validChunkCount);
  }

  // Reads: the changed chunk (or chunk 0) of its layer, and one random chunk of a random readable layer.
  const readable = layers.filter((l) => manager.getVDSProduceStatus(l.dimensionsND, l.lod, l.channel) !== vds.VDSProduceStatus.Unavailable);
  const targets: { layer: VolumeDataLayer; chunk: number }[] = [];
  const changed = chunkKey && dataset.layers.byLayerName(chunkKey.slice(0, chunkKey.lastIndexOf('/')));
  if (changed && !changed.isVirtual) targets.push({ layer: changed, chunk: Math.min(Number(chunkKey!.slice(chunkKey!.lastIndexOf('/') + 1)), changed.chunkCount - 1) });
  if (readable.length) {
    const layer = pick(random, readable);
    targets.push({ layer, chunk: int(random, layer.chunkCount) });
  }
  let skipped = 0;
  for (const { layer, chunk } of targets) {
    if (layer.chunkVoxelCount(chunk) > MAX_READ_CHUNK_VOXELS) { skipped++; continue; }
    const { min, max } = layer.partition.chunkMinMax(chunk, false);
    const dims = layout.getDimensionality();
    const selection = { dimensionsND: layer.dimensionsND, lod: layer.lod, channel: layer.channel };
    const format = pick(random, [vds.VolumeDataFormat.Format_R32, vds.VolumeDataFormat.Format_Any, vds.VolumeDataFormat.Format_U8]);
    await limited(lastValueFrom(manager.volumeSubset$(min.slice(0, dims), max.slice(0, dims), { ...selection, format })), 'subset read');
    if (layer.lod === 0 && layer.channelDescriptor.mapping === vds.VolumeDataMapping.Direct && random() < 0.5) {
      const position = min.slice(0, dims).map((v, k) => v + random() * (max[k]! - v));
      await limited(lastValueFrom(manager.volumeSamples$([position, position.map((v) => v + 0.5)], { ...selection })), 'sample read');
    }
    if (random() < 0.3) {
      const accessor = manager.createVolumeDataPageAccessor(layer.dimensionsND, layer.lod, layer.channel, 2, vds.AccessMode.AccessMode_ReadOnly);
      facts.push(await limited(accessor.getChunkVolumeDataHash(chunk), 'chunk hash'));
      const page = await limited(accessor.readPage(chunk), 'page read');
      facts.push(page.getBuffer().length);
      await page.release();
    }
  }
  return skipped;
}

function classify(error: unknown, reading: boolean): { outcome: Outcome; class: string; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Timeout) return { outcome: 'timeout', class: 'Timeout', message };
  if (reading && !workerErrorsKeepClass && (error as object)?.constructor === Error) return { outcome: 'plain-error', class: 'Error', message };
  // A clean error is an rxvds class all the way down its causes.
  for (let e: unknown = error; e !== undefined; e = (e as Error).cause) {
    if (!CLEAN_ERRORS.some((C) => e instanceof C)) {
      const name = (e as object)?.constructor?.name ?? typeof e;
      return { outcome: 'bad-error', class: e === error ? name : `${(error as object).constructor.name} caused by ${name}`, message: `${(e as Error)?.stack ?? e}` };
    }
  }
  return { outcome: 'error', class: (error as object).constructor.name, message };
}

async function runCase(datasets: LoadedDataset[], config: FuzzConfig, caseIndex: number): Promise<CaseReport> {
  const random = seededRandom(config.seed * 1_000_003 + caseIndex);
  const dataset = datasets[caseIndex % datasets.length]!;
  const prepared = await prepare(dataset, random, caseIndex, config.scratch);
  report({ case: caseIndex, start: true, what: prepared.what });
  const started = performance.now();
  let opened: vds.VDS | undefined;
  try {
    opened = await limited(vds.open(prepared.target), 'open');
    const skipped = await exercise(opened, random, prepared.chunkKey);
    return { case: caseIndex, outcome: 'ok', what: prepared.what, ms: performance.now() - started, skipped };
  } catch (error) {
    return { case: caseIndex, ...classify(error, opened !== undefined), what: prepared.what, ms: performance.now() - started };
  } finally {
    await opened?.close(false).catch(() => undefined);
    prepared.cleanup?.();
  }
}

function report(line: CaseReport): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as FuzzConfig;
let current = -1;
// Anything escaping a case is a failure of that case; the parent restarts after the next one.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (error: unknown) => {
    const message = `${(error as Error)?.stack ?? error}`;
    process.stderr.write(`${event}: ${message}\n`);
    report({ case: current, outcome: 'bad-error', what: `${event} during case ${current}`, ms: 0, class: event, message });
    process.exit(3);
  });
}
const datasets = await Promise.all(config.datasets.map(load));
const workerErrorsKeepClass = await probeWorkerErrors(datasets.find((d) => d.spec.kind === 'folder')!);
report({ probe: true, workerErrorsKeepClass });
for (let i = config.first; i < config.first + config.count; i++) {
  current = i;
  report(await runCase(datasets, config, i));
}
await vds.destroyChunkPool();
