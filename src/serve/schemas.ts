// JSON schemas of the routes' parameters (fastify validates them before a handler runs; a failure
// is a 400 naming the parameter, see validationMessage).
import type { FastifySchemaValidationError } from 'fastify/types/schema.js';
import { colorMapNames } from '../render/colorMaps.js';
import { COORDINATE_SYSTEMS, DIRECTIONS } from './geometry.js';

export const INTERPOLATIONS = ['nearest', 'linear', 'cubic', 'angular', 'triangular'] as const;
export type Interpolation = (typeof INTERPOLATIONS)[number];
export const ATTRIBUTES = ['min', 'max', 'mean', 'rms', 'sumpos', 'sumneg'] as const;
export type AttributeName = (typeof ATTRIBUTES)[number];

export const idParams = {
  type: 'object', required: ['id'], properties: { id: { type: 'string' } },
} as const;

const layerSelection = {
  lod: { type: 'integer', minimum: 0, maximum: 12, default: 0 },
  channel: { type: 'integer', minimum: 0, maximum: 255, default: 0 },
} as const;

export const sliceQuery = {
  type: 'object',
  required: ['direction', 'lineno'],
  additionalProperties: false,
  properties: {
    direction: { type: 'string', enum: DIRECTIONS },
    lineno: { type: 'number' },
    format: { type: 'string', enum: ['f32', 'png'], default: 'f32' },
    ...layerSelection,
    // PNG only: the picture's size, colour map and display range (src/render).
    width: { type: 'integer', minimum: 64, maximum: 4096 },
    height: { type: 'integer', minimum: 64, maximum: 4096 },
    colormap: { type: 'string', enum: colorMapNames },
    clip: { type: 'number', exclusiveMinimum: 0 },
  },
} as const;

export interface SliceQuery {
  direction: (typeof DIRECTIONS)[number];
  lineno: number;
  format: 'f32' | 'png';
  lod: number;
  channel: number;
  width?: number;
  height?: number;
  colormap?: (typeof colorMapNames)[number];
  clip?: number;
}

const point = (size: number) => ({ type: 'array', minItems: size, maxItems: size, items: { type: 'number' } }) as const;

/** The parts of fence, samples and attributes bodies: the coordinate system, sampling and channel. */
const pointsCommon = {
  coordinateSystem: { type: 'string', enum: COORDINATE_SYSTEMS },
  interpolation: { type: 'string', enum: INTERPOLATIONS, default: 'linear' },
  channel: layerSelection.channel,
  fillValue: { type: 'number' },
} as const;

export const fenceBody = {
  type: 'object', required: ['coordinateSystem', 'coordinates'], additionalProperties: false,
  properties: { ...pointsCommon, coordinates: { type: 'array', minItems: 1, items: point(2) } },
} as const;

export const samplesBody = {
  type: 'object', required: ['coordinateSystem', 'points'], additionalProperties: false,
  properties: { ...pointsCommon, points: { type: 'array', minItems: 1, items: point(3) } },
} as const;

export const attributesBody = {
  type: 'object', required: ['coordinateSystem', 'coordinates', 'horizon', 'attributes'], additionalProperties: false,
  properties: {
    ...pointsCommon,
    coordinates: { type: 'array', minItems: 1, items: point(2) },
    /** One sample-axis value per point (time or depth; an index in the index system); null where the horizon has no value. */
    horizon: { type: 'array', items: { type: ['number', 'null'] } },
    above: { type: 'number', minimum: 0, default: 0 },
    below: { type: 'number', minimum: 0, default: 0 },
    attributes: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: ATTRIBUTES } },
  },
} as const;

interface PointsCommon {
  coordinateSystem: (typeof COORDINATE_SYSTEMS)[number];
  interpolation: Interpolation;
  channel: number;
  fillValue?: number;
}
export interface FenceBody extends PointsCommon { coordinates: [number, number][] }
export interface SamplesBody extends PointsCommon { points: [number, number, number][] }
export interface AttributesBody extends PointsCommon {
  coordinates: [number, number][];
  horizon: (number | null)[];
  above: number;
  below: number;
  attributes: AttributeName[];
}

/** `coordinates[3][1]` from ajv's `/coordinates/3/1`. */
function parameterPath(instancePath: string): string {
  return instancePath.split('/').filter(Boolean).map((part, n) => (n === 0 ? part : /^\d+$/.test(part) ? `[${part}]` : `.${part}`)).join('');
}

/** A validation failure as "parameter: what is wrong". */
export function validationMessage(errors: readonly FastifySchemaValidationError[], context: string): string {
  const error = errors[0]!;
  const params = error.params as Record<string, unknown>;
  const path = parameterPath(error.instancePath);
  switch (error.keyword) {
    case 'required': return `${path ? `${path}.` : ''}${String(params.missingProperty)}: is required`;
    case 'additionalProperties': return `${String(params.additionalProperty)}: is not a parameter of this route`;
    case 'enum': return `${path}: must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
    default: return `${path || context}: ${error.message ?? 'is not valid'}`;
  }
}
