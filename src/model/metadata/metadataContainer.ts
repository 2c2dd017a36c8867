// MetadataContainer: the (category, name) → typed value store of a layout. Setters check the
// value against the type (integers for Int*, f32 rounding for Float*, vector lengths) so that a
// container always serializes the way OpenVDS would read it back.
import { InvalidArgumentError } from '../errors.js';
import {
  isFloatMetadataType, isIntegerMetadataType, type MetadataKey, MetadataType, type MetadataValue, metadataTypeArity,
} from './metadataKey.js';

export interface MetadataReadAccess {
  getMetadataKeys(): MetadataKey[];
  /** The value of a key returned by `getMetadataKeys` (or undefined). */
  getMetadata(key: MetadataKey): MetadataValue | undefined;
  isMetadataAvailable(type: MetadataType, category: string, name: string): boolean;
}

/** What OpenVDS's MetadataWriteAccess can do; MetadataContainer implements it. */
export interface MetadataWriteAccess {
  setMetadata(type: MetadataType, category: string, name: string, value: MetadataValue | BlobSource): void;
  clearMetadata(category: string, name?: string): void;
  copyMetadata(category: string, source: MetadataReadAccess): void;
}

/** The bytes of a BLOB: any binary buffer, as OpenVDS's Python binding takes any buffer. */
export type BlobSource = Uint8Array | ArrayBuffer | ArrayBufferView;

type Vector2 = [number, number];
type Vector3 = [number, number, number];
type Vector4 = [number, number, number, number];

function keyString(category: string, name: string): string {
  return JSON.stringify([category, name]);
}

/** Typed reads over (category, name) items; the base of MetadataContainer and VolumeDataLayout. */
export class MetadataReader implements MetadataReadAccess {
  protected readonly items = new Map<string, { key: MetadataKey; value: MetadataValue }>();

  /** Takes a copy of every item of `source`. */
  protected adopt(source: MetadataReadAccess): void {
    for (const key of source.getMetadataKeys()) {
      const value = source.getMetadata(key);
      if (value !== undefined) this.items.set(keyString(key.category, key.name), { key: { ...key }, value: copyValue(value) });
    }
  }

  getMetadataKeys(): MetadataKey[] {
    return [...this.items.values()].map((item) => item.key);
  }

  /** The value of a key (or of category, name and type), or undefined when there is none of that type. */
  getMetadata(key: MetadataKey): MetadataValue | undefined;
  getMetadata(category: string, name: string, type: MetadataType): MetadataValue | undefined;
  getMetadata(keyOrCategory: MetadataKey | string, name?: string, type?: MetadataType): MetadataValue | undefined {
    const key = typeof keyOrCategory === 'string' ? { category: keyOrCategory, name, type } : keyOrCategory;
    if (typeof key?.category !== 'string' || typeof key.name !== 'string' || MetadataType[key.type as MetadataType] === undefined) {
      throw new InvalidArgumentError('getMetadata needs a MetadataKey, or a category, name and MetadataType');
    }
    const item = this.items.get(keyString(key.category, key.name));
    return item && item.key.type === key.type ? copyValue(item.value) : undefined;
  }

  isMetadataAvailable(type: MetadataType, category: string, name: string): boolean {
    return this.items.get(keyString(category, name))?.key.type === type;
  }

  getMetadataInt(category: string, name: string): number { return this.typed(MetadataType.Int, category, name) as number; }
  getMetadataIntVector2(category: string, name: string): Vector2 { return this.typed(MetadataType.IntVector2, category, name) as Vector2; }
  getMetadataIntVector3(category: string, name: string): Vector3 { return this.typed(MetadataType.IntVector3, category, name) as Vector3; }
  getMetadataIntVector4(category: string, name: string): Vector4 { return this.typed(MetadataType.IntVector4, category, name) as Vector4; }
  getMetadataFloat(category: string, name: string): number { return this.typed(MetadataType.Float, category, name) as number; }
  getMetadataFloatVector2(category: string, name: string): Vector2 { return this.typed(MetadataType.FloatVector2, category, name) as Vector2; }
  getMetadataFloatVector3(category: string, name: string): Vector3 { return this.typed(MetadataType.FloatVector3, category, name) as Vector3; }
  getMetadataFloatVector4(category: string, name: string): Vector4 { return this.typed(MetadataType.FloatVector4, category, name) as Vector4; }
  getMetadataDouble(category: string, name: string): number { return this.typed(MetadataType.Double, category, name) as number; }
  getMetadataDoubleVector2(category: string, name: string): Vector2 { return this.typed(MetadataType.DoubleVector2, category, name) as Vector2; }
  getMetadataDoubleVector3(category: string, name: string): Vector3 { return this.typed(MetadataType.DoubleVector3, category, name) as Vector3; }
  getMetadataDoubleVector4(category: string, name: string): Vector4 { return this.typed(MetadataType.DoubleVector4, category, name) as Vector4; }
  getMetadataString(category: string, name: string): string { return this.typed(MetadataType.String, category, name) as string; }
  getMetadataBLOB(category: string, name: string): Uint8Array { return this.typed(MetadataType.BLOB, category, name) as Uint8Array; }
  isMetadataIntAvailable(category: string, name: string): boolean { return this.isMetadataAvailable(MetadataType.Int, category, name); }
  isMetadataIntVector2Available(category: string, name: string): boolean { return this.isMetadataAvailable(MetadataType.IntVector2, category, name); }
  isMetadataIntVector3Available(category: string, name: string): boolean { return this.isMetadataAvailable(MetadataType.IntVector3, category, name); }
  isMetadataIntVector4Available(category: string, name: string): boolean { return this.isMetadataAvailable(MetadataType.IntVector4, category, name); }
  isMetadataFloatAvailable(category: string, name: string): boolean { return this.isMetadataAvailable(MetadataType.Float, category, name); }
  isMetadataFloatVector2Available(category: string, name: string): boolean { return this.isMetadataAvailable(MetadataType.FloatVector2, category, name); }
  isMetadataFloatVector3Available(category: string, name: string): boolean { return this.isMetadataAvailable(MetadataType.FloatVector3, category, name); }
  isMetadataFloatVector4Available(category: string, name: string): boolean { return this.isMetadataAvailable(MetadataType.FloatVector4, category, name); }
  isMetadataDoubleAvailable(category: string, name: string): boolean { return this.isMetadataAvailable(MetadataType.Double, category, name); }
  isMetadataDoubleVector2Available(category: string, name: string): boolean { return this.isMetadataAvailable(MetadataType.DoubleVector2, category, name); }
  isMetadataDoubleVector3Available(category: string, name: string): boolean { return this.isMetadataAvailable(MetadataType.DoubleVector3, category, name); }
  isMetadataDoubleVector4Available(category: string, name: string): boolean { return this.isMetadataAvailable(MetadataType.DoubleVector4, category, name); }
  isMetadataStringAvailable(category: string, name: string): boolean { return this.isMetadataAvailable(MetadataType.String, category, name); }
  isMetadataBLOBAvailable(category: string, name: string): boolean { return this.isMetadataAvailable(MetadataType.BLOB, category, name); }

  private typed(type: MetadataType, category: string, name: string): MetadataValue {
    const item = this.items.get(keyString(category, name));
    if (!item || item.key.type !== type) {
      throw new InvalidArgumentError(`No ${MetadataType[type]} metadata named ${category ? `${category}.` : ''}${name}`);
    }
    return copyValue(item.value);
  }
}

export class MetadataContainer extends MetadataReader implements MetadataWriteAccess {
  /** Bumped on every change; writers use it to know the layout must be stored again. */
  revision = 0;

  /** Sets a value of any type (validated against it). */
  setMetadata(type: MetadataType, category: string, name: string, value: MetadataValue | BlobSource): void {
    if (typeof category !== 'string' || typeof name !== 'string') throw new InvalidArgumentError('Metadata category and name must be strings');
    if (MetadataType[type] === undefined) throw new InvalidArgumentError(`Invalid metadata type ${type}`);
    const checked = checkedValue(type, category, name, value);
    this.items.set(keyString(category, name), { key: { type, category, name }, value: checked });
    this.revision++;
  }

  /** Removes one item, or every item of `category` when no name is given. */
  clearMetadata(category: string, name?: string): void {
    if (typeof category !== 'string' || (name !== undefined && typeof name !== 'string')) {
      throw new InvalidArgumentError('clearMetadata needs a category and optionally a name (strings)');
    }
    const keys = name === undefined
      ? [...this.items.values()].filter((item) => item.key.category === category).map((item) => keyString(category, item.key.name))
      : [keyString(category, name)];
    let removed = false;
    for (const key of keys) removed = this.items.delete(key) || removed;
    if (removed) this.revision++;
  }

  /** Copies every item (or those of one category) from another container or layout. */
  copyMetadataFrom(source: MetadataReadAccess, category?: string): void {
    for (const key of source.getMetadataKeys()) {
      if (category !== undefined && key.category !== category) continue;
      const value = source.getMetadata(key);
      if (value !== undefined) this.setMetadata(key.type, key.category, key.name, value);
    }
  }

  /** OpenVDS's `CopyMetadata(category, source)`. */
  copyMetadata(category: string, source: MetadataReadAccess): void {
    this.copyMetadataFrom(source, category);
  }

  setMetadataInt(category: string, name: string, value: number): void { this.setMetadata(MetadataType.Int, category, name, value); }
  setMetadataIntVector2(category: string, name: string, value: Vector2): void { this.setMetadata(MetadataType.IntVector2, category, name, value); }
  setMetadataIntVector3(category: string, name: string, value: Vector3): void { this.setMetadata(MetadataType.IntVector3, category, name, value); }
  setMetadataIntVector4(category: string, name: string, value: Vector4): void { this.setMetadata(MetadataType.IntVector4, category, name, value); }
  setMetadataFloat(category: string, name: string, value: number): void { this.setMetadata(MetadataType.Float, category, name, value); }
  setMetadataFloatVector2(category: string, name: string, value: Vector2): void { this.setMetadata(MetadataType.FloatVector2, category, name, value); }
  setMetadataFloatVector3(category: string, name: string, value: Vector3): void { this.setMetadata(MetadataType.FloatVector3, category, name, value); }
  setMetadataFloatVector4(category: string, name: string, value: Vector4): void { this.setMetadata(MetadataType.FloatVector4, category, name, value); }
  setMetadataDouble(category: string, name: string, value: number): void { this.setMetadata(MetadataType.Double, category, name, value); }
  setMetadataDoubleVector2(category: string, name: string, value: Vector2): void { this.setMetadata(MetadataType.DoubleVector2, category, name, value); }
  setMetadataDoubleVector3(category: string, name: string, value: Vector3): void { this.setMetadata(MetadataType.DoubleVector3, category, name, value); }
  setMetadataDoubleVector4(category: string, name: string, value: Vector4): void { this.setMetadata(MetadataType.DoubleVector4, category, name, value); }
  setMetadataString(category: string, name: string, value: string): void { this.setMetadata(MetadataType.String, category, name, value); }
  setMetadataBLOB(category: string, name: string, value: BlobSource): void { this.setMetadata(MetadataType.BLOB, category, name, value); }
}

function copyValue(value: MetadataValue): MetadataValue {
  if (value instanceof Uint8Array) return value.slice();
  return Array.isArray(value) ? [...value] : value;
}

function checkedValue(type: MetadataType, category: string, name: string, value: MetadataValue | BlobSource): MetadataValue {
  const what = `metadata ${category ? `${category}.` : ''}${name} (${MetadataType[type]})`;
  if (type === MetadataType.String) {
    if (typeof value !== 'string') throw new InvalidArgumentError(`${what} needs a string`);
    return value;
  }
  if (type === MetadataType.BLOB) {
    if (value instanceof ArrayBuffer) return new Uint8Array(value.slice(0));
    if (!ArrayBuffer.isView(value)) throw new InvalidArgumentError(`${what} needs a binary buffer (Uint8Array, another typed array, DataView or ArrayBuffer)`);
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice();
  }
  const arity = metadataTypeArity(type);
  const numbers = arity === 1 ? [value] : value;
  if (!Array.isArray(numbers) || numbers.length !== arity || numbers.some((n) => typeof n !== 'number')) {
    throw new InvalidArgumentError(`${what} needs ${arity === 1 ? 'a number' : `an array of ${arity} numbers`}`);
  }
  const checked = (numbers as number[]).map((n) => {
    if (isIntegerMetadataType(type)) {
      if (!Number.isInteger(n) || n < -(2 ** 31) || n >= 2 ** 31) throw new InvalidArgumentError(`${what} needs 32-bit integers, got ${n}`);
      return n;
    }
    return isFloatMetadataType(type) ? Math.fround(n) : n;
  });
  return arity === 1 ? checked[0]! : checked;
}

// OpenVDS's MetadataReadAccess and MetadataWriteAccess are classes: `x instanceof MetadataReadAccess`
// holds for layouts and containers, `instanceof MetadataWriteAccess` for containers.
export const MetadataReadAccess = MetadataReader;
export const MetadataWriteAccess = MetadataContainer;
