// How the samples of each SEG-Y data sample format are stored in the Amplitude channel, as OpenVDS's
// SEGYImport stores them: 1- and 2-byte integers keep their bits in a U8/U16 channel (signed ones
// shifted into the unsigned range and given the matching negative integer offset, scale 1), floats
// and 4-byte integers become R32, 8-byte formats R64.
import { VolumeDataFormat } from '../model/enums.js';
import { SegyFormatError } from '../model/errors.js';
import type { Endianness } from './headerField.js';
import { DataSampleFormatCode, decodeSamples, formatName, isDecodableFormat } from './sampleFormat.js';

export interface AmplitudeFormat {
  readonly format: VolumeDataFormat.Format_U8 | VolumeDataFormat.Format_U16 | VolumeDataFormat.Format_R32 | VolumeDataFormat.Format_R64;
  /**
   * The channel's integer offset: a stored code is the SEG-Y value minus this (−128 for Int8,
   * −32768 for Int16, else 0). The integer scale is always 1: SEG-Y integers are not scaled.
   */
  readonly integerOffset: number;
}

/** Elements of an Amplitude page of each storage format. */
export type AmplitudeElements = Uint8Array | Uint16Array | Float32Array | Float64Array;

const U8 = { format: VolumeDataFormat.Format_U8, integerOffset: 0 } as const;
const U16 = { format: VolumeDataFormat.Format_U16, integerOffset: 0 } as const;
const R32 = { format: VolumeDataFormat.Format_R32, integerOffset: 0 } as const;
const R64 = { format: VolumeDataFormat.Format_R64, integerOffset: 0 } as const;

/**
 * SEGYImport's mapping (its `convertSegyFormat` and `GetVDSIntegerOffsetForDataSampleFormat`).
 * SEGYImport refuses the 24-bit and 8-byte formats; rxvds imports them anyway: 24-bit integers
 * exactly as R32, and the 8-byte ones as R64, the format OpenVDS's own table gives them.
 */
const formats: Readonly<Partial<Record<DataSampleFormatCode, AmplitudeFormat>>> = {
  [DataSampleFormatCode.IBMFloat]: R32, [DataSampleFormatCode.IEEEFloat]: R32,
  // 4-byte integers lose precision above 2^24, as in SEGYImport (VDS has no integer offset for U32).
  [DataSampleFormatCode.Int32]: R32, [DataSampleFormatCode.UInt32]: R32,
  [DataSampleFormatCode.Int24]: R32, [DataSampleFormatCode.UInt24]: R32,
  [DataSampleFormatCode.Int16]: { format: VolumeDataFormat.Format_U16, integerOffset: -32768 },
  [DataSampleFormatCode.UInt16]: U16,
  [DataSampleFormatCode.Int8]: { format: VolumeDataFormat.Format_U8, integerOffset: -128 },
  [DataSampleFormatCode.UInt8]: U8,
  [DataSampleFormatCode.IEEEDouble]: R64, [DataSampleFormatCode.Int64]: R64, [DataSampleFormatCode.UInt64]: R64,
};

export function amplitudeFormat(code: number): AmplitudeFormat {
  const format = isDecodableFormat(code) ? formats[code] : undefined;
  if (!format) throw new SegyFormatError(`SEG-Y data sample format ${formatName(code)} is not supported`);
  return format;
}

/** A page-sized array of the storage format's elements. */
export function amplitudeElements(format: AmplitudeFormat, length: number): AmplitudeElements {
  switch (format.format) {
    case VolumeDataFormat.Format_U8: return new Uint8Array(length);
    case VolumeDataFormat.Format_U16: return new Uint16Array(length);
    case VolumeDataFormat.Format_R32: return new Float32Array(length);
    case VolumeDataFormat.Format_R64: return new Float64Array(length);
  }
}

/** Decodes SEG-Y samples into stored elements: codes (value − integer offset) for U8/U16, values for R32/R64. */
export class AmplitudeDecoder {
  readonly format: AmplitudeFormat;
  private readonly values?: Float64Array;

  constructor(private readonly code: number, private readonly endianness: Endianness, readonly sampleCount: number) {
    this.format = amplitudeFormat(code);
    const integer = this.format.format === VolumeDataFormat.Format_U8 || this.format.format === VolumeDataFormat.Format_U16;
    if (integer) this.values = new Float64Array(sampleCount);
  }

  decode(source: Uint8Array, target: AmplitudeElements): void {
    if (target instanceof Float32Array || target instanceof Float64Array) {
      decodeSamples(source, this.code, this.endianness, target, this.sampleCount);
      return;
    }
    const values = this.values!;
    decodeSamples(source, this.code, this.endianness, values);
    // Every value of a 1- or 2-byte format minus its offset is a valid code: no clamping needed.
    const offset = this.format.integerOffset;
    for (let i = 0; i < this.sampleCount; i++) target[i] = values[i]! - offset;
  }
}
