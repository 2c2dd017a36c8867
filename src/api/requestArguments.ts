// The argument rules of every request kind and of the page accessor, in one place. Each check
// runs synchronously, before anything is allocated, and throws an InvalidArgumentError that names
// the argument, the value it got and what is allowed.
import { CompressionMethod, Dimensionality_Max, VolumeDataFormat } from '../model/enums.js';
import { InvalidArgumentError } from '../model/errors.js';
import { canEncode } from '../codecs/registry.js';
import { bytesOf, typedArrayOf, type VolumeDataTypedArray } from '../model/formats.js';
import type { Index6 } from '../model/geometry/partition.js';
import { MAX_RUNTIME_BUFFER_BYTES } from './runtimeLimits.js';

export interface RequestLimits {
  /**
   * Largest buffer one request or one page may allocate, in bytes: a subset's output, the sample
   * positions of samples, traces and projected subsets (48 bytes per sample), a chunk's page.
   * Default 4 GiB, the longest Uint8Array Node 20 can make (`buffer.constants.MAX_LENGTH`).
   */
  maxBufferBytes: number;
  /** Most chunks one volume subset may touch (its plan lists them all). Default 2^24. */
  maxRequestChunks: number;
}

/** Beyond this a chunk list nears V8's array length limit (and such a request would take days). */
const CHUNK_LIST_CEILING = 2 ** 26;
const limits: RequestLimits = { maxBufferBytes: Math.min(2 ** 32, MAX_RUNTIME_BUFFER_BYTES), maxRequestChunks: 2 ** 24 };

export function getRequestLimits(): RequestLimits {
  return { ...limits };
}

/** Changes the limits for every dataset in this process; `maxBufferBytes` cannot exceed what the runtime allows. */
export function setRequestLimits(changes: Partial<RequestLimits>): void {
  const next = { ...limits, ...changes };
  integerArgument(next.maxBufferBytes, 'maxBufferBytes', 1, MAX_RUNTIME_BUFFER_BYTES);
  integerArgument(next.maxRequestChunks, 'maxRequestChunks', 1, CHUNK_LIST_CEILING);
  Object.assign(limits, next);
}

/** Refuses an allocation of `bytes` for `what` beyond `maxBufferBytes`. */
export function checkAllocation(what: string, bytes: number): void {
  if (bytes > limits.maxBufferBytes) {
    throw new InvalidArgumentError(`${what} would need ${bytes.toLocaleString('en-US')} bytes; the limit is ` +
      `${limits.maxBufferBytes.toLocaleString('en-US')} bytes (maxBufferBytes, see setRequestLimits)`);
  }
}

/** Refuses a volume subset touching more than `maxRequestChunks` chunks. */
export function checkRequestChunks(chunkCount: number): void {
  if (chunkCount > limits.maxRequestChunks) {
    throw new InvalidArgumentError(`The subset touches ${chunkCount.toLocaleString('en-US')} chunks; the limit is ` +
      `${limits.maxRequestChunks.toLocaleString('en-US')} (maxRequestChunks, see setRequestLimits)`);
  }
}

/**
 * A sample plan groups its samples in a Map keyed by chunk, and V8's Maps hold at most 2^24 keys.
 * (A projected subset cannot come near it: each of its chunks serves at least 32 × 32 outputs, and
 * its outputs are bounded by maxBufferBytes.)
 */
const SAMPLE_PLAN_CEILING = 2 ** 24;

/** The most chunks a samples or traces request may touch: `maxRequestChunks`, at most 2^24. */
export function sampleChunkLimit(): number {
  return Math.min(limits.maxRequestChunks, SAMPLE_PLAN_CEILING);
}

/** Refuses samples (`what`) touching more chunks than `sampleChunkLimit()`. */
export function checkSampleChunks(what: string, chunkCount: number): void {
  const limit = sampleChunkLimit();
  if (chunkCount > limit) {
    const why = limit < limits.maxRequestChunks ? 'the most one request can group samples by' : 'maxRequestChunks, see setRequestLimits';
    throw new InvalidArgumentError(`The ${what} touch ${chunkCount.toLocaleString('en-US')} chunks; the limit is ` +
      `${limit.toLocaleString('en-US')} (${why})`);
  }
}

/**
 * Most chunk-metadata pages of a layer a writer may start: LayerStatus lists every page in its
 * `pageDirectory`, and beyond this that JSON outgrows what can be built in memory.
 */
const MAX_CHUNK_METADATA_PAGES = 2 ** 20;

/** Refuses to produce a layer whose page directory LayerStatus could not hold. */
export function checkMetadataPageCount(layerName: string, chunkCount: number, pageSize: number): void {
  const pages = Math.ceil(chunkCount / pageSize);
  if (pages > MAX_CHUNK_METADATA_PAGES) {
    throw new InvalidArgumentError(`${layerName} has ${chunkCount.toLocaleString('en-US')} chunks: ` +
      `${pages.toLocaleString('en-US')} chunk-metadata pages of ${pageSize}, more than the ` +
      `${MAX_CHUNK_METADATA_PAGES.toLocaleString('en-US')} a LayerStatus can list (use a larger chunkMetadataPageSize or brick size)`);
  }
}

export function integerArgument(value: unknown, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in ${min}…${max}`;
    throw new InvalidArgumentError(`${name} must be an integer ${range}, got ${describe(value)}`);
  }
  return value;
}

/** A member of a numeric enum (`AccessMode`, `DimensionsND`…); names and other numbers are refused. */
export function enumArgument<E extends number>(enumObject: Record<string | number, string | number>, enumName: string,
  value: unknown, name: string): E {
  if (typeof value !== 'number' || typeof enumObject[value] !== 'string') {
    const values = Object.values(enumObject).filter((v): v is number => typeof v === 'number');
    throw new InvalidArgumentError(`${name} must be one of ${enumName} (${Math.min(...values)}…${Math.max(...values)}), got ${describe(value)}`);
  }
  return value as E;
}

/** `replacementNoValue`: any number, NaN and infinities included (it is stored as a float). */
export function replacementNoValueArgument(value: unknown): number | undefined {
  if (value !== undefined && typeof value !== 'number') {
    throw new InvalidArgumentError(`replacementNoValue must be a number, got ${describe(value)}`);
  }
  return value;
}

/**
 * A voxel box `[min, max)` padded to 6 dimensions. Each has `dimensionality` to 6 integers;
 * entries past the dimensionality must be min 0, max 1 (the one voxel of a missing dimension, as
 * OpenVDS's Python API pads them); every other dimension must be a non-empty range inside the layer.
 */
export function boxArgument(min: unknown, max: unknown, dimensionality: number, numSamples: readonly number[]): [Index6, Index6] {
  for (const [name, value] of [['min', min], ['max', max]] as const) {
    if (!Array.isArray(value) || value.length < dimensionality || value.length > Dimensionality_Max) {
      throw new InvalidArgumentError(`${name} must be an array of ${dimensionality} to ${Dimensionality_Max} integers, got ${describe(value)}`);
    }
  }
  const lo = [0, 0, 0, 0, 0, 0] as Index6, hi = [1, 1, 1, 1, 1, 1] as Index6;
  for (let d = 0; d < Dimensionality_Max; d++) {
    const a: unknown = (min as unknown[])[d] ?? 0, b: unknown = (max as unknown[])[d] ?? 1;
    const n = d < dimensionality ? numSamples[d]! : 1;
    if (!Number.isInteger(a) || !Number.isInteger(b) || (a as number) < 0 || (a as number) >= n || (b as number) <= (a as number) || (b as number) > n) {
      const what = d < dimensionality ? `must lie within [0, ${n}) and not be empty` : `must be [0, 1): the layout has ${dimensionality} dimensions`;
      throw new InvalidArgumentError(`Invalid subset in dimension ${d}: [${describe(a)}, ${describe(b)}) ${what}`);
    }
    lo[d] = a as number;
    hi[d] = b as number;
  }
  return [lo, hi];
}

/**
 * Sample positions as 6 doubles each, from arrays of `dimensionality` to 6 coordinates or a flat
 * Float32Array/Float64Array of 6 per position. Coordinates must be finite; those past the
 * dimensionality must lie in [0, 1) (the one voxel of a missing dimension).
 */
export function positionsArgument(input: unknown, dimensionality: number, name: string): Float32Array | Float64Array {
  let positions: Float32Array | Float64Array;
  if (input instanceof Float32Array || input instanceof Float64Array) {
    if (input.length % Dimensionality_Max !== 0) {
      throw new InvalidArgumentError(`${name}: a flat position array holds 6 values per position, got ${input.length} values`);
    }
    // Used as given, not copied: a request plans its samples before it returns.
    positions = input;
  } else if (Array.isArray(input)) {
    checkAllocation(`${name} (${input.length} positions)`, input.length * Dimensionality_Max * 8);
    positions = new Float64Array(input.length * Dimensionality_Max);
    input.forEach((position: unknown, i) => {
      const length = (position as ArrayLike<number> | null)?.length;
      if (typeof length !== 'number' || length < dimensionality || length > Dimensionality_Max) {
        throw new InvalidArgumentError(`${name}[${i}] needs ${dimensionality} to ${Dimensionality_Max} coordinates, got ${describe(position)}`);
      }
      for (let d = 0; d < length; d++) positions[i * Dimensionality_Max + d] = (position as ArrayLike<number>)[d]!;
    });
  } else {
    throw new InvalidArgumentError(`${name} must be an array of positions or a flat Float32Array/Float64Array, got ${describe(input)}`);
  }
  // Messages are built only on failure: this loop sees every coordinate of a million-sample request.
  for (let i = 0; i < positions.length; i += Dimensionality_Max) {
    for (let d = 0; d < Dimensionality_Max; d++) {
      const v = positions[i + d]!;
      if (!Number.isFinite(v)) throw new InvalidArgumentError(`${name}[${i / Dimensionality_Max}] has a non-finite coordinate ${v} in dimension ${d}`);
      if (d >= dimensionality && (v < 0 || v >= 1)) {
        throw new InvalidArgumentError(`${name}[${i / Dimensionality_Max}] has coordinate ${v} in dimension ${d}, which the layout ` +
          `(${dimensionality} dimensions) does not have: it must be in [0, 1)`);
      }
    }
  }
  return positions;
}

/**
 * A caller's `dataOut`: the typed array of the output format (Uint8Array for 1Bit and U8,
 * Uint16Array, Float32Array, Uint32Array, Float64Array, BigUint64Array) with at least
 * `byteSize` bytes of elements. Returns the bytes the request writes.
 */
export function dataOutArgument(dataOut: unknown, format: VolumeDataFormat, byteSize: number): Uint8Array {
  const type = typedArrayOf(format);
  const elements = Math.ceil(byteSize / type.BYTES_PER_ELEMENT);
  const needed = `a ${type.name} of at least ${elements} elements (${VolumeDataFormat[format]} output)`;
  if (!(dataOut instanceof type)) {
    const got = ArrayBuffer.isView(dataOut) ? dataOut.constructor.name : describe(dataOut);
    throw new InvalidArgumentError(`dataOut must be ${needed}, got ${got}`);
  }
  const array = dataOut as VolumeDataTypedArray;
  if (array.length < elements) throw new InvalidArgumentError(`dataOut must be ${needed}, got ${array.length} elements`);
  return bytesOf(array).subarray(0, byteSize);
}

/** The `signal` option: an AbortSignal or nothing (a controller, say, is refused, not ignored). */
export function signalArgument(value: unknown): AbortSignal | undefined {
  if (value !== undefined && !(value instanceof AbortSignal)) {
    throw new InvalidArgumentError(`signal must be an AbortSignal (e.g. an AbortController's signal), got ${describe(value)}`);
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return value.length > 8 ? `an array of ${value.length} values` : `[${value.map(describe).join(', ')}]`;
  if (value === null || typeof value !== 'object') return String(value);
  const name = (value as { constructor?: { name?: string } }).constructor?.name || 'object';
  return `${/^[AEIOU]/i.test(name) ? 'an' : 'a'} ${name}`;
}

/**
 * The optional parameters of one method, in the reference's positional order, after the leading
 * parameters both calling styles share (e.g. `min`, `max`). `nullable`: those where `null` stands
 * for Python's `None` (`dataOut`, `replacementNoValue`).
 */
export interface MethodParameters {
  readonly method: string;
  readonly parameters: readonly string[];
  readonly nullable?: readonly string[];
  /** rxvds's own options (`signal`), which the reference's positional order has no slot for. */
  readonly optionsOnly?: readonly string[];
}

/**
 * Maps the optional arguments of a call to its options object. Two styles are accepted: one plain
 * object (rxvds's options, keys named as in `parameters`), or the reference's positional order.
 * An unknown key, an argument too many or an options object among positional arguments is an
 * InvalidArgumentError naming it; every value is then checked where it is used (with a message
 * naming the parameter), so no argument is ever silently dropped.
 */
export function resolveArguments<T extends object>(spec: MethodParameters, rest: readonly unknown[]): T {
  const { method, parameters } = spec;
  const options: Record<string, unknown> = {};
  const set = (name: string, value: unknown) => {
    options[name] = value === null && spec.nullable?.includes(name) ? undefined : value;
  };
  if (rest.length === 1 && isPlainObject(rest[0])) {
    const allowed = [...parameters, ...spec.optionsOnly ?? []];
    for (const [key, value] of Object.entries(rest[0])) {
      if (!allowed.includes(key)) {
        throw new InvalidArgumentError(`${method}: unknown option ${JSON.stringify(key)} (allowed: ${allowed.join(', ')})`);
      }
      set(key, value);
    }
    return options as T;
  }
  if (rest.length > parameters.length) {
    throw new InvalidArgumentError(`${method} takes at most ${parameters.length} optional arguments ` +
      `(${parameters.join(', ')}) or one options object, got ${rest.length}`);
  }
  rest.forEach((value, i) => {
    if (isPlainObject(value)) {
      throw new InvalidArgumentError(`${method}: argument ${parameters[i]} got an options object; ` +
        'pass options as the only optional argument, or every argument in positional order');
    }
    set(parameters[i]!, value);
  });
  return options as T;
}

/** An options object: made by `{…}` or `Object.create(null)`, not an array, typed array or class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** A caller array the out-array overloads fill (`getChunkMinMax(chunk, min, max)`…): 6 entries, as in the reference. */
export type Index6Out = Int32Array | number[];

/**
 * The rule of the overloads with caller arrays (`getChunkMinMax(chunk[, min, max])`, `getMinMax([min, max])`):
 * 6 entries each, as in the reference: returned as a `[min, max]` tuple, or written into the caller's arrays.
 */
export function minMaxResult(min: Index6, max: Index6, minOut?: Index6Out, maxOut?: Index6Out): [number[], number[]] | void {
  if (minOut === undefined && maxOut === undefined) return [[...min], [...max]];
  fillIndex6(minOut, min, 'min');
  fillIndex6(maxOut, max, 'max');
}

/** Copies the 6 entries of `values` into the caller's array `out`, which must hold at least 6. */
export function fillIndex6(out: unknown, values: readonly number[], name: string): void {
  const fits = Array.isArray(out) || out instanceof Int32Array;
  if (!fits || (out as Index6Out).length < Dimensionality_Max) {
    throw new InvalidArgumentError(`${name} must be an Int32Array or array of ${Dimensionality_Max} entries, got ${describe(out)}`);
  }
  for (let d = 0; d < Dimensionality_Max; d++) (out as Index6Out)[d] = values[d]!;
}

/**
 * Checks a compression that chunks are to be written with (`create`, a re-encoding copy): a known
 * method whose codec can encode, and a tolerance in [0, 255]. OpenVDS documents the tolerance as
 * [1..255] 8-bit quantization steps (0, the default, for the lossless methods) and silently clamps
 * what it gets; a value outside is refused here.
 */
export function checkWritableCompression(method: CompressionMethod, tolerance: number): void {
  if (CompressionMethod[method] === undefined) throw new InvalidArgumentError(`Invalid compression method ${method}`);
  if (!canEncode(method)) throw new InvalidArgumentError(`Chunks of ${CompressionMethod[method]} cannot be written: its codec only decodes`);
  if (typeof tolerance !== 'number' || !(tolerance >= 0 && tolerance <= 255)) {
    throw new InvalidArgumentError(`compressionTolerance must be a number in [0, 255] (the wavelet tolerance in 8-bit steps), got ${String(tolerance)}`);
  }
}
