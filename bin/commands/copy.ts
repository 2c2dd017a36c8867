// `rxvds copy SRC DST`: copies a dataset between any two stores, chunk by chunk, resumable. DST may
// be new (a folder, a `.vds` file, a cloud prefix), a partial copy of SRC (resumed) or a finished
// one (checked); a different dataset there is replaced only with --overwrite.
import { redactUrl } from '../../sources/stores/redact.js';
import { vdsFileDatasetFor } from '../../sources/dataset/vdsFileDataset.js';
import * as vds from '../../src/index.js';
import { type Command, integerOption, type OptionValues, UsageError } from '../lib/command.js';
import { interruption } from '../lib/interrupt.js';
import { overwriteOption, refuse } from '../lib/outputs.js';
import { ProgressBar } from '../lib/progress.js';
import { followRun } from '../lib/followRun.js';
import { compressionMethod, compressionTolerance } from '../lib/compression.js';
import { type DistributedCopyOptions, startCopyDistributed } from '../../src/distributed/copyDistributed.js';

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const MB = 1024 * 1024;

export const copyCommand: Command = {
  usage: 'rxvds copy SRC DST [--connection STRING] [--destination-connection STRING] [--concurrency N] [--no-verify] [--overwrite]\n' +
    '  [--compression-method None|RLE|Zip|Wavelet|WaveletLossless] [--tolerance T]\n' +
    '  [--transform KIND=MODULE [--transform-options JSON]]   (every chunk through a chunk job module of one\'s own: a path or URL its workers can import)\n' +
    '  [--distributed redis://HOST:PORT [--chunks-per-part N]]   (the work goes to `rxvds worker` processes, which must reach both datasets)',
  options: {
    'destination-connection': { type: 'string' },
    concurrency: { type: 'string' },
    'no-verify': { type: 'boolean' },
    'compression-method': { type: 'string' },
    tolerance: { type: 'string' },
    distributed: { type: 'string' },
    'chunks-per-part': { type: 'string' },
    transform: { type: 'string' },
    'transform-options': { type: 'string' },
    ...overwriteOption,
  },
  async run(positionals, values) {
    if (positionals.length !== 2) throw new UsageError(`expected SRC and DST\nUsage: ${this.usage}`);
    const [src, dst] = positionals as [string, string];
    const connection = String(values.connection ?? '');
    const destinationConnection = String(values['destination-connection'] ?? values.connection ?? '');
    const overwrite = values.overwrite === true;
    const concurrency = integerOption(values, 'concurrency', 8, 1);
    if (values.distributed !== undefined) {
      if (values['destination-connection'] !== undefined) throw new UsageError('--distributed copies use one --connection for both datasets (each worker has its own)');
      return copyDistributed(src, dst, {
        redis: String(values.distributed), connectionString: connection, overwrite, verify: values['no-verify'] !== true, ...recompression(values), ...transform(values),
        chunksPerPart: values['chunks-per-part'] === undefined ? undefined : integerOption(values, 'chunks-per-part', 1024, 1),
      });
    }
    // A missing or broken source fails here, before a destination `.vds` file is created.
    await vds.close(await vds.open(src, connection), false);
    const source = vdsFileDatasetFor(src) ?? vds.openStore(src, connection).store;
    const destination = vdsFileDatasetFor(dst, 'update') ?? vds.openStore(dst, destinationConnection, 'update').store;
    const conflict = await vds.copyConflict(source, destination);
    if (conflict !== undefined && !overwrite) {
      await destination.close?.();
      refuse(redactUrl(dst), `holds a different dataset (${conflict})`);
    }
    const bar = new ProgressBar('copy');
    const start = performance.now();
    // Ctrl-C stops the copy between chunks; what is at the destination is whole chunk objects, so it resumes.
    const tracked = interruption.track(async () => {
      await destination.close?.();
      return `copy interrupted: ${redactUrl(dst)} is partial but resumable: run the same command again`;
    });
    try {
      const result = await vds.copyDataset(source, destination, {
        concurrency,
        overwrite,
        verify: values['no-verify'] !== true,
        ...recompression(values),
        ...transform(values),
        signal: interruption.signal,
        onProgress: (p) => bar.update(p.objectsDone / p.objectCount, `${Math.min(p.objectsDone, p.objectCount - 1)}/${p.objectCount - 1} chunks`),
      });
      bar.done();
      const seconds = (performance.now() - start) / 1000;
      console.log(`copied ${redactUrl(src)} → ${redactUrl(dst)}: ${result.objectCount - 1} chunks (${result.skipped} already there), ` +
        `${(result.bytesCopied / MB).toFixed(1)} MB in ${seconds.toFixed(2)} s`);
    } finally {
      if (interruption.exitCode === undefined) {
        tracked.release();
        await destination.close?.();
        await source.close?.();
      }
    }
  },
};

/** The copy runs on the workers of the queue; this process plans it, enqueues it and follows it. */
async function copyDistributed(src: string, dst: string, options: DistributedCopyOptions): Promise<void> {
  const start = performance.now();
  const result = await followRun('copy', 'copy', startCopyDistributed(src, dst, options));
  console.log(`copied ${redactUrl(src)} → ${redactUrl(dst)} on the workers of ${redactUrl(options.redis)}: ${result.parts} parts, ` +
    `${result.chunksCopied} chunks (${result.skipped} already there), ${(result.bytesCopied / MB).toFixed(1)} MB in ${((performance.now() - start) / 1000).toFixed(2)} s`);
}

/** `--compression-method` (and `--tolerance`): re-encode every chunk; without it chunks are copied as stored. */
function recompression(values: OptionValues): Pick<vds.CopyOptions, 'compressionMethod' | 'compressionTolerance'> {
  if (values['compression-method'] === undefined) {
    if (values.tolerance !== undefined) throw new UsageError('--tolerance goes with --compression-method');
    return {};
  }
  const method = compressionMethod(values);
  return { compressionMethod: method, compressionTolerance: compressionTolerance(values, method) };
}

/** `--transform KIND=MODULE` (and `--transform-options JSON`): registers the job module and names it. */
function transform(values: OptionValues): Pick<vds.CopyOptions, 'transform'> {
  if (values.transform === undefined) {
    if (values['transform-options'] !== undefined) throw new UsageError('--transform-options goes with --transform');
    return {};
  }
  const [, kind, module] = /^([^=]+)=(.+)$/.exec(String(values.transform)) ?? [];
  if (kind === undefined || module === undefined) throw new UsageError(`--transform takes KIND=MODULE, got "${String(values.transform)}"`);
  let options: unknown;
  try {
    options = values['transform-options'] === undefined ? undefined : JSON.parse(String(values['transform-options'])) as unknown;
  } catch {
    throw new UsageError(`--transform-options must be JSON, got ${String(values['transform-options'])}`);
  }
  // A path becomes an absolute file URL: the workers (and pool threads) import it from anywhere.
  vds.registerChunkJob(kind, /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(module) ? module : pathToFileURL(resolve(module)));
  return { transform: { kind, options } };
}
