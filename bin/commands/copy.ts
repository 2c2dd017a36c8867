// `rxvds copy SRC DST`: copies a dataset between any two stores, chunk by chunk, resumable.
import { redactUrl } from '../../sources/redact.js';
import * as vds from '../../src/index.js';
import { type Command, integerOption, UsageError } from '../lib/command.js';
import { interruption } from '../lib/interrupt.js';
import { ProgressBar } from '../lib/progress.js';

const MB = 1024 * 1024;

export const copyCommand: Command = {
  usage: 'rxvds copy SRC DST [--connection STRING] [--destination-connection STRING] [--concurrency N] [--no-verify]',
  options: {
    'destination-connection': { type: 'string' },
    concurrency: { type: 'string' },
    'no-verify': { type: 'boolean' },
  },
  async run(positionals, values) {
    if (positionals.length !== 2) throw new UsageError(`expected SRC and DST\nUsage: ${this.usage}`);
    const [src, dst] = positionals as [string, string];
    const source = vds.openStore(src, String(values.connection ?? '')).store;
    const destination = vds.openStore(dst, String(values['destination-connection'] ?? values.connection ?? '')).store;
    const bar = new ProgressBar('copy');
    const start = performance.now();
    // Ctrl-C stops the copy between objects; what is at the destination is whole objects, so it resumes.
    const tracked = interruption.track(async () => {
      await destination.close?.();
      return `copy interrupted: ${redactUrl(dst)} is partial but resumable: run the same command again`;
    });
    try {
      const result = await vds.copyDataset(source, destination, {
        concurrency: integerOption(values, 'concurrency', 8, 1),
        verify: values['no-verify'] !== true,
        signal: interruption.signal,
        onProgress: (p) => bar.update(p.objectsDone / p.objectCount, `${p.objectsDone}/${p.objectCount} objects`),
      });
      bar.done();
      const seconds = (performance.now() - start) / 1000;
      console.log(`copied ${redactUrl(src)} → ${redactUrl(dst)}: ${result.objectCount} objects (${result.skipped} already there), ` +
        `${(result.bytesCopied / MB).toFixed(1)} MB in ${seconds.toFixed(2)} s`);
    } finally {
      if (interruption.exitCode === undefined) {
        tracked.release();
        await destination.close?.();
      }
    }
  },
};
