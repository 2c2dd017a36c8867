// The coordinator of a distributed copy (`rxvds copy --distributed`): the source's chunk sequence
// (every non-virtual layer's chunks, layer after layer) is cut into runs of `chunksPerPart`; each
// part copies its run (re-encoding it if asked) into the destination's chunk objects, and the final
// job publishes pages, LayerStatus and layout once every part is done (flow.ts).
import { createHash } from 'node:crypto';
import { copyConflict, copyPositions, type CopyOptions } from '../api/copyDataset.js';
import { InvalidArgumentError, InvalidOperationError } from '../model/errors.js';
import { chunkJobModule } from '../workers/chunkJobs.js';
import { datasetFor } from '../../sources/dataset/datasetFor.js';
import { vdsFileDatasetFor } from '../../sources/dataset/vdsFileDataset.js';
import { openStore } from '../../sources/stores/openStore.js';
import { redactUrl } from '../../sources/stores/redact.js';
import type { ReadableStore } from '../../sources/stores/store.js';
import type { DatasetStore } from '../engine/datasetStore.js';
import { absolute, type DistributedRun, type FlowKind, type FlowOptions, runFlow, unpublish } from './flow.js';
import { COPY_JOB, COPY_PART_JOB, type CopyJobData, type CopyJobResult } from './jobs.js';

export interface DistributedCopyOptions extends FlowOptions, Pick<CopyOptions, 'compressionMethod' | 'compressionTolerance' | 'verify' | 'overwrite' | 'transform'> {
  /** Connection string of both datasets' stores (the coordinator's; each worker has its own). */
  connectionString?: string;
  /** Positions of the chunk sequence per part (default 1024: about one chunk-metadata page each). */
  chunksPerPart?: number;
  onProgress?: (fraction: number) => void;
}

export type DistributedCopyResult = CopyJobResult & { readonly id: string; readonly parts: number };

const COPY: FlowKind<CopyJobData> = { parent: COPY_JOB, part: COPY_PART_JOB, partChunks: (data) => data.partChunks };

/** The source of a copy: a `.vds` file's dataset layer, or a store. */
export function copySource(url: string, connectionString: string): ReadableStore | DatasetStore {
  return vdsFileDatasetFor(url, 'open') ?? openStore(url, connectionString).store;
}

export async function copyDistributed(source: string, destination: string, options: DistributedCopyOptions): Promise<DistributedCopyResult> {
  const run = startCopyDistributed(source, destination, options);
  run.progress.subscribe({ next: (p) => options.onProgress?.(p.chunksDone / p.chunks), error: () => undefined });
  return run.result;
}

export function startCopyDistributed(source: string, destination: string, options: DistributedCopyOptions): DistributedRun<CopyJobResult> {
  [source, destination] = [absolute(source), absolute(destination)];
  if (vdsFileDatasetFor(destination, 'create')) {
    throw new InvalidArgumentError(`${redactUrl(destination)} is a .vds file, which many workers cannot write at once: copy into a folder or an object-store URL`);
  }
  const perPart = options.chunksPerPart ?? 1024;
  if (!Number.isInteger(perPart) || perPart < 1) throw new InvalidArgumentError(`chunksPerPart must be a positive integer, got ${perPart}`);
  // The transform's kind as registered here: the workers register the same module (a URL each of them can import).
  const transform = options.transform && { ...options.transform, module: chunkJobModule(options.transform.kind) };
  const copyOptions = { compressionMethod: options.compressionMethod, compressionTolerance: options.compressionTolerance, verify: options.verify, transform };
  const digest = createHash('sha256').update(JSON.stringify({ source, destination, copyOptions, perPart })).digest('hex').slice(0, 16);
  return runFlow<CopyJobData, CopyJobResult>(COPY, `${COPY_JOB}-${digest}`, options, async () => {
    const connection = options.connectionString ?? '';
    const from = datasetFor(copySource(source, connection));
    let positions: number;
    try {
      positions = copyPositions(await from.open());
    } finally {
      await from.close();
    }
    const to = openStore(destination, connection, 'create').store;
    const conflict = await copyConflict(copySource(source, connection), to).finally(() => to.close?.());
    if (conflict !== undefined && !options.overwrite) {
      throw new InvalidOperationError(`${redactUrl(destination)} holds a different dataset (${conflict}): set overwrite to replace it`);
    }
    if (conflict !== undefined) await unpublish(destination, connection);
    const partChunks = Array.from({ length: Math.ceil(positions / perPart) }, (_, p) => Math.min(perPart, positions - p * perPart));
    return { source, destination, options: copyOptions, partChunks };
  });
}
