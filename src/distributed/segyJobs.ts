// The jobs of a distributed SEG-Y import, as they travel through the queue. One BullMQ flow per
// import: a parent (`import-segy`, holding the plan) over one child per part (`import-segy-part`).
// Job ids are derived from the import, so a coordinator started again finds its flow instead of
// enqueuing a second one.
import type { SegyImportPlan } from '../segy/importParts.js';

export const IMPORT_JOB = 'import-segy';
export const PART_JOB = 'import-segy-part';

/** The parent's data: where the dataset goes (a URL every worker can write) and the plan. */
export interface ImportJobData {
  readonly url: string;
  readonly plan: SegyImportPlan;
}

export interface PartJobData {
  readonly part: number;
}

/** The parent's result, once the dataset is published. */
export interface ImportJobResult {
  readonly tracesWritten: number;
  readonly tracesIgnored: number;
  readonly chunksWritten: number;
  /** How long the final job took to publish the dataset (the coordinator's share of the work besides the plan). */
  readonly publishSeconds: number;
}

export function partJobId(importId: string, part: number): string {
  return `${importId}-part-${part}`;
}

/**
 * A part that fails on its input (a SegyFormatError: corrupt traces) is not retried; its reason
 * starts with this, so the coordinator can report the import as a format error.
 */
export const FORMAT_ERROR_PREFIX = 'SegyFormatError: ';
