// GET /datasets/{id}/metadata: what a client needs to ask for slices, fences and samples: axes with
// annotation ranges, CRS, the survey's corners in world coordinates, channels and LODs.
import type { VDS } from '../api/vds.js';
import { DimensionsND, VDSProduceStatus, VolumeDataFormat } from '../model/enums.js';
import { KnownMetadata } from '../model/metadata/knownMetadata.js';
import type { AxisInfo, SurveyGeometry } from './geometry.js';

export interface DatasetMetadata {
  id: string;
  axes: (AxisInfo & { role: 'inline' | 'crossline' | 'sample' | null })[];
  crs: string;
  /** Corners of the survey (first/last inline × first/last crossline), in each coordinate system. */
  boundingBox: { world: [number, number][]; annotation: [number, number][]; index: [number, number][] } | null;
  channels: { name: string; unit: string; format: string; valueRange: [number, number]; noValue: number | null }[];
  /** The LODs of the primary channel's 3D layer that can be read (0 first). */
  lods: number[];
}

export function datasetMetadata(id: string, vds: VDS, geometry: SurveyGeometry): DatasetMetadata {
  const layout = vds.layout;
  const roles = ['inline', 'crossline', 'sample'] as const;
  const axes = geometry.axes.map((axis) => {
    const ijk = geometry.ijk.indexOf(axis.dimension);
    return { ...axis, role: ijk >= 0 ? roles[ijk]! : null };
  });
  const crs = layout.getMetadata(KnownMetadata.surveyCoordinateSystemCRSWkt());
  const channels = Array.from({ length: layout.getChannelCount() }, (_, c) => {
    const d = layout.getChannelDescriptor(c);
    return { name: d.name, unit: d.unit, format: VolumeDataFormat[d.format].replace('Format_', ''),
      valueRange: [d.valueRangeMin, d.valueRangeMax] as [number, number], noValue: d.useNoValue ? d.noValue : null };
  });
  return { id, axes, crs: typeof crs === 'string' ? crs : '', boundingBox: boundingBox(geometry), channels, lods: readableLods(vds) };
}

function boundingBox(geometry: SurveyGeometry): DatasetMetadata['boundingBox'] {
  const [di, dj] = geometry.ijk;
  if (di < 0 || dj < 0) return null;
  const [ni, nj] = [geometry.axes[di]!.samples - 1, geometry.axes[dj]!.samples - 1];
  const corners: [number, number][] = [[0, 0], [ni, 0], [ni, nj], [0, nj]];
  const t = geometry.transformer;
  return {
    world: corners.map(([i, j]) => t.ijkPositionToWorld([i, j, 0]).slice(0, 2) as [number, number]),
    annotation: corners.map(([i, j]) => t.ijkPositionToAnnotation([i, j, 0]).slice(0, 2) as [number, number]),
    index: corners,
  };
}

/**
 * LOD 0, and the coarser LODs of channel 0's 3D brick layer that were written (a layout may declare
 * LODs nobody produced: a read of those fails on the missing chunks).
 */
export function readableLods(vds: VDS): number[] {
  const lods = [0];
  for (let lod = 1; lod <= vds.layout.getLayoutDescriptor().getLODLevels(); lod++) {
    const layer = vds.layers.get(DimensionsND.Dimensions_012, lod, 0);
    if (!layer || vds.layerStatusEntry(layer)?.produceStatus !== VDSProduceStatus.Normal) break;
    lods.push(lod);
  }
  return lods;
}
