// The jobs of the distributed work, as they travel through the queue. Each run is one BullMQ flow:
// a parent job holding what the parts share (and, once they are done, publishing the dataset)
// over one child job per part. Job ids are derived from the work, so a coordinator started again
// finds its flow instead of enqueuing a second one.
import type { ChunkTransform, CopyOptions } from '../api/copyDataset.js';
import type { SegyImportPlan } from '../segy/importParts.js';

export const IMPORT_JOB = 'import-segy';
export const IMPORT_PART_JOB = 'import-segy-part';
export const COPY_JOB = 'copy';
export const COPY_PART_JOB = 'copy-part';

/** A part's data: its number among the parent's parts. */
export interface PartJobData {
  readonly part: number;
}

/** An import's parent: where the dataset goes (a URL every worker can write) and the plan. */
export interface ImportJobData {
  readonly url: string;
  readonly plan: SegyImportPlan;
}

/** A copy's parent: the two datasets (URLs every worker reaches) and how chunks are copied. */
export interface CopyJobData {
  readonly source: string;
  readonly destination: string;
  readonly options: Pick<CopyOptions, 'compressionMethod' | 'compressionTolerance' | 'verify'> & { readonly transform?: DistributedTransform };
  /** Chunks per part (the last may have fewer, and parts count only written chunks). */
  readonly partChunks: readonly number[];
}

/** A transform as it travels: with the URL of its job module, which every worker registers and imports. */
export interface DistributedTransform extends ChunkTransform {
  readonly module: string;
}

/** What every parent returns once the dataset is published. */
export interface PublishedResult {
  /** How long the final job took to publish the dataset (the coordinator's share of the work besides the plan). */
  readonly publishSeconds: number;
}

export interface ImportJobResult extends PublishedResult {
  readonly tracesWritten: number;
  readonly tracesIgnored: number;
  readonly chunksWritten: number;
}

export interface CopyJobResult extends PublishedResult {
  readonly chunksCopied: number;
  readonly bytesCopied: number;
  /** Chunks the destination already held (a copy resumed). */
  readonly skipped: number;
}

export function partJobId(id: string, part: number): string {
  return `${id}-part-${part}`;
}

/**
 * A part that fails on its input (corrupt traces or chunks) is not retried: it fails the same way
 * on every try. Its reason starts with the error's class, so the coordinator can throw that class.
 */
export function unrecoverableReason(error: Error): string {
  return `${error.name}: ${error.message}`;
}
