// `rxvds export-segy SRC FILE.sgy`: writes a dataset imported from SEG-Y back to SEG-Y from its stored headers.
import { datasetWithSignal } from '../../sources/dataset/datasetWithSignal.js';
import { vdsFileDatasetFor } from '../../sources/dataset/vdsFileDataset.js';
import { engineConnectionString, openStore } from '../../sources/stores/openStore.js';
import { redactUrl } from '../../sources/stores/redact.js';
import { withSignal } from '../../sources/stores/withSignal.js';
import { exportSegy } from '../../src/segy/exportSegy.js';
import { type Command, UsageError } from '../lib/command.js';
import { interruption } from '../lib/interrupt.js';
import { FileOutput, overwriteOption } from '../lib/outputs.js';
import { ProgressBar } from '../lib/progress.js';

export const exportSegyCommand: Command = {
  usage: 'rxvds export-segy SRC FILE.sgy [--overwrite] [--connection STRING]',
  options: { ...overwriteOption },
  async run(positionals, values) {
    const [url, path] = positionals;
    if (!url || !path || positionals.length > 2) throw new UsageError(`expected SRC and FILE.sgy\nUsage: ${this.usage}`);
    const connectionString = String(values.connection ?? '');
    const output = await FileOutput.prepare(path, values.overwrite === true);
    const bar = new ProgressBar('export-segy ');
    try {
      const file = vdsFileDatasetFor(url);
      const source = file ? datasetWithSignal(file, interruption.signal) : withSignal(openStore(url, connectionString).store, interruption.signal);
      // The store has taken the service keys; the dataset takes the engine's.
      const result = await exportSegy(source, output.temp, {
        connectionString: engineConnectionString(connectionString), onProgress: (f) => bar.update(f), signal: interruption.signal,
      });
      await output.commit();
      bar.done();
      console.log(`exported ${redactUrl(url)} → ${path}: ${result.tracesWritten} traces, ${result.bytesWritten} bytes`);
    } finally {
      await output.close();
    }
  },
};
