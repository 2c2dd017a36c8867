// Metadata items are addressed by (category, name) and carry one of OpenVDS's fourteen value types.

/** Numeric values equal OpenVDS's `MetadataType`. */
export enum MetadataType {
  Int, IntVector2, IntVector3, IntVector4,
  Float, FloatVector2, FloatVector3, FloatVector4,
  Double, DoubleVector2, DoubleVector3, DoubleVector4,
  String, BLOB,
}

export interface MetadataKey {
  readonly type: MetadataType;
  readonly category: string;
  readonly name: string;
}

/** Scalars are numbers, vectors arrays of 2–4 numbers, BLOBs bytes. */
export type MetadataValue = number | readonly number[] | string | Uint8Array;

/** Vector length of a type, or 1 for scalars, strings and BLOBs. */
export function metadataTypeArity(type: MetadataType): number {
  if (type === MetadataType.String || type === MetadataType.BLOB) return 1;
  return (type % 4) + 1;
}

export function isIntegerMetadataType(type: MetadataType): boolean {
  return type <= MetadataType.IntVector4;
}

export function isFloatMetadataType(type: MetadataType): boolean {
  return type >= MetadataType.Float && type <= MetadataType.FloatVector4;
}
