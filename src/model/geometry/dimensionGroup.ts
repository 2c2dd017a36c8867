// Dimension groups (`DimensionsND`): which volume dimensions a layer's chunks span.
import { DimensionsND } from '../enums.js';
import { InvalidArgumentError } from '../errors.js';

const groupDimensions = new Map<DimensionsND, readonly number[]>();
const groupByKey = new Map<string, DimensionsND>();

for (const [name, value] of Object.entries(DimensionsND)) {
  if (typeof value !== 'number') continue;
  const dims = [...name.slice('Dimensions_'.length)].map(Number);
  groupDimensions.set(value, dims);
  groupByKey.set(dims.join(''), value);
}

export function dimensionsOf(group: DimensionsND): readonly number[] {
  const dims = groupDimensions.get(group);
  if (!dims) throw new InvalidArgumentError(`Unknown DimensionsND value ${group}`);
  return dims;
}

export function dimensionGroupName(group: DimensionsND): string {
  return `Dimensions_${dimensionsOf(group).join('')}`;
}

/** The group made of exactly these (increasing) dimensions, or undefined for 1D and >3D sets. */
export function dimensionGroupOf(dims: readonly number[]): DimensionsND | undefined {
  return groupByKey.get(dims.join(''));
}

/** Groups in LayerStatus order: 2D groups `01 … 45`, then 3D groups `012 … 345`. */
export const dimensionGroupsInStatusOrder: readonly DimensionsND[] = [
  ...[...groupDimensions.keys()].filter((g) => dimensionsOf(g).length === 2),
  ...[...groupDimensions.keys()].filter((g) => dimensionsOf(g).length === 3),
];

/** The 2D and 3D groups that exist in a volume of `dimensionality` dimensions. */
export function dimensionGroupsOfVolume(dimensionality: number): DimensionsND[] {
  return dimensionGroupsInStatusOrder.filter((g) => dimensionsOf(g).every((d) => d < dimensionality));
}
