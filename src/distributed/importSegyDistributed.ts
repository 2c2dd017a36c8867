// The coordinator of a distributed SEG-Y import: scans the file, decides the layout and the parts
// (src/segy/importParts.ts), and enqueues one flow: a child job per part under a parent that
// publishes the dataset once every child has finished (flow.ts). The job id comes from the input,
// the output and the options, so a coordinator started again with the same command resumes the
// import it finds in Redis instead of starting another.
import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '../model/errors.js';
import type { ImportSegyOptions } from '../segy/importSegy.js';
import { planSegyImport } from '../segy/importParts.js';
import { vdsFileDatasetFor } from '../../sources/dataset/vdsFileDataset.js';
import { redactUrl } from '../../sources/stores/redact.js';
import { absolute, type DistributedRun, type FlowKind, type FlowOptions, runFlow, unpublish } from './flow.js';
import { IMPORT_JOB, IMPORT_PART_JOB, type ImportJobData, type ImportJobResult } from './jobs.js';

export type { DistributedProgress, DistributedRun } from './flow.js';

export interface DistributedImportOptions extends ImportSegyOptions, FlowOptions {}

export type DistributedImportResult = ImportJobResult & { readonly id: string; readonly parts: number };

const IMPORT: FlowKind<ImportJobData> = { parent: IMPORT_JOB, part: IMPORT_PART_JOB, partChunks: (data) => data.plan.partChunks };

/** Imports `input` into `url` on the workers of the queue at `options.redis`; see startImportSegyDistributed. */
export async function importSegyDistributed(input: string, url: string, options: DistributedImportOptions): Promise<DistributedImportResult> {
  const run = startImportSegyDistributed(input, url, options);
  run.progress.subscribe({ next: (p) => options.onProgress?.(p.chunksDone / p.chunks), error: () => undefined });
  return run.result;
}

/**
 * Starts (or resumes) a distributed import. Input and output must be readable and writable by
 * every worker (object-store URLs, or paths on a shared file system; relative paths are made
 * absolute here). A `.vds` file cannot be written by many processes and is refused.
 */
export function startImportSegyDistributed(input: string, url: string, options: DistributedImportOptions): DistributedRun<ImportJobResult> {
  [input, url] = [absolute(input), absolute(url)];
  if (vdsFileDatasetFor(url, 'create')) {
    throw new InvalidArgumentError(`${redactUrl(url)} is a .vds file, which many workers cannot write at once: import into a folder or an object-store URL`);
  }
  return runFlow<ImportJobData, ImportJobResult>(IMPORT, importJobId(input, url, options), options, async () => {
    const plan = await planSegyImport(input, options);
    await unpublish(url, options.connectionString ?? '');
    return { url, plan };
  });
}

/** Deterministic: the same import gets the same id, whoever enqueues it (local paths count as absolute ones). */
export function importJobId(input: string, url: string, options: DistributedImportOptions): string {
  [input, url] = [absolute(input), absolute(url)];
  const { redis: _redis, onProgress: _p, signal: _s, scan: _scan, pollInterval: _poll, connectionString: _c, inputConnectionString: _i, ...rest } = options;
  const digest = createHash('sha256').update(JSON.stringify({ input, url, rest })).digest('hex').slice(0, 16);
  return `${IMPORT_JOB}-${digest}`;
}
