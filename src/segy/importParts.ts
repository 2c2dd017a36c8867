// A SEG-Y import cut into parts that separate processes (on separate machines) can write: the plan
// is decided once (scan, geometry, layout with its metadata and time stamps), and each part writes
// the chunks of its columns, LODs included, through any dataset layer. What publishes the dataset
// (chunk-metadata pages, LayerStatus, layout) is up to the caller: see src/distributed.
import { CompressionMethod } from '../model/enums.js';
import { SegyFormatError } from '../model/errors.js';
import { parseVolumeDataLayoutJson, serializeVolumeDataLayoutJson } from '../model/layout/layoutJson.js';
import { VolumeDataLayout } from '../model/layout/volumeDataLayout.js';
import type { DatasetStore } from '../engine/datasetStore.js';
import { close, create } from '../api/entryPoints.js';
import { MeasurementSystem } from './binaryHeader.js';
import { type SurveyGeometry, surveyGeometry } from './geometry.js';
import {
  axisDescriptors, channelDescriptors, checkGeometry, chunksPerColumn, importMetadata, importParts, type ImportSegyOptions,
  layoutDescriptor, writeTraces,
} from './importSegy.js';
import { type SEGYScan, scanSegy } from './scan.js';
import { SEGYFile } from './segyFile.js';
import { distanceConverter } from './surveyCoordinates.js';

/**
 * The import options a part needs, as JSON. Connection strings are left out: they hold secrets,
 * and a plan travels through the job queue; each worker has its own.
 */
export type PartOptions = Omit<ImportSegyOptions, 'scan' | 'onProgress' | 'signal' | 'connectionString' | 'inputConnectionString'>;

/** Everything a part needs besides its number: plain JSON. */
export interface SegyImportPlan {
  readonly input: string;
  readonly options: PartOptions;
  readonly scan: SEGYScan;
  readonly geometry: SurveyGeometry;
  readonly layoutJson: string;
  /** LOD 0 chunks of the primary channel written by each part. */
  readonly partChunks: readonly number[];
}

export interface PartResult {
  readonly tracesWritten: number;
  readonly tracesIgnored: number;
  readonly chunksWritten: number;
}

/** Scans the file and decides the layout (with the metadata's import time stamp) and the parts. */
export async function planSegyImport(input: string, options: ImportSegyOptions = {}): Promise<SegyImportPlan> {
  const file = await SEGYFile.open(input, options);
  try {
    if (file.traceCount === 0) throw new SegyFormatError(`${file.name} has no traces to import`);
    const scan = options.scan ?? await scanSegy(file, options);
    const geometry = await surveyGeometry(file, scan, options);
    checkGeometry(file, scan, geometry, options);
    const convert = distanceConverter(file.binaryHeaderInfo.measurementSystem, options.surveyUnit ?? MeasurementSystem.Meters);
    const layout = new VolumeDataLayout(layoutDescriptor(scan.segyType, options), axisDescriptors(geometry),
      channelDescriptors(file, geometry, scan, options, convert), importMetadata(file, scan, geometry, options, convert));
    const perColumn = chunksPerColumn(layout);
    const { scan: _scan, onProgress: _onProgress, signal: _signal, connectionString: _c, inputConnectionString: _i, ...partOptions } = options;
    return {
      input, options: partOptions, scan, geometry, layoutJson: serializeVolumeDataLayoutJson(layout),
      partChunks: importParts(layout, scan).map((columns) => columns.length * perColumn),
    };
  } finally {
    await file.close();
  }
}

export function planLayout(plan: SegyImportPlan): VolumeDataLayout {
  const { layoutDescriptor: descriptor, axisDescriptors: axes, channelDescriptors: channels, metadata } = parseVolumeDataLayoutJson(plan.layoutJson);
  return new VolumeDataLayout(descriptor, axes, channels, metadata);
}

/**
 * Writes part `part` of the plan into `dataset` (the same traces, chunks and LODs as that part of
 * a whole import), then closes it with a flush: what the flush publishes is the dataset layer's business.
 */
export async function importSegyPart(plan: SegyImportPlan, dataset: DatasetStore, part: number,
  options: { inputConnectionString?: string; onProgress?: (fraction: number) => void; signal?: AbortSignal } = {}): Promise<PartResult> {
  const file = await SEGYFile.open(plan.input, { ...plan.options, inputConnectionString: options.inputConnectionString });
  try {
    const convert = distanceConverter(file.binaryHeaderInfo.measurementSystem, plan.options.surveyUnit ?? MeasurementSystem.Meters);
    const { layoutDescriptor: descriptor, axisDescriptors: axes, channelDescriptors: channels, metadata } = parseVolumeDataLayoutJson(plan.layoutJson);
    const vds = await create(dataset, '', descriptor, axes, channels, metadata, plan.options.compressionMethod ?? CompressionMethod.None,
      plan.options.compressionTolerance ?? 0);
    let closed = false;
    try {
      const result = await writeTraces(file, plan.scan, plan.geometry, vds, { ...plan.options, onProgress: options.onProgress, signal: options.signal },
        convert, part);
      closed = true;
      await close(vds);
      return { tracesWritten: result.tracesWritten, tracesIgnored: result.tracesIgnored, chunksWritten: result.chunksWritten };
    } finally {
      if (!closed) await close(vds, false).catch(() => undefined);
    }
  } finally {
    await file.close();
  }
}
