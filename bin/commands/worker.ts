// `rxvds worker redis://HOST:PORT`: works for distributed jobs (`import-segy --distributed`) until
// Ctrl-C or SIGTERM. Run any number, on any machines that reach the Redis server and the stores.
import { startWorker } from '../../src/distributed/worker.js';
import { redactUrl } from '../../sources/stores/redact.js';
import { type Command, integerOption, stringOption, UsageError } from '../lib/command.js';
import { interruption } from '../lib/interrupt.js';

export const workerCommand: Command = {
  usage: 'rxvds worker redis://HOST:PORT[/DB] [-c|--connection STRING] [--input-connection STRING] [--lock-duration MS] [--concurrency N]',
  options: {
    'input-connection': { type: 'string' }, 'lock-duration': { type: 'string' }, concurrency: { type: 'string' },
  },
  async run(positionals, values) {
    const [redis, ...extra] = positionals;
    if (!redis || extra.length) throw new UsageError(`expected one Redis URL\nUsage: ${this.usage}`);
    const worker = await startWorker(redis, {
      connectionString: stringOption(values, 'connection'),
      inputConnectionString: stringOption(values, 'input-connection'),
      lockDuration: values['lock-duration'] === undefined ? undefined : integerOption(values, 'lock-duration', 0, 100),
      concurrency: integerOption(values, 'concurrency', 1, 1),
      // One line per job on stderr, where the operator of a worker looks.
      onJob: (e) => process.stderr.write(`rxvds worker: ${e.id} ${e.outcome} in ${e.seconds.toFixed(1)} s${e.reason ? `: ${e.reason}` : ''}\n`),
    });
    process.stderr.write(`rxvds worker: taking jobs from ${redactUrl(redis)} (Ctrl-C stops)\n`);
    await new Promise((stop) => interruption.signal.addEventListener('abort', stop, { once: true }));
    // A job cut short is taken over by another worker once its lock expires.
    await worker.close(true);
  },
};
