// `rxvds export-segy SRC FILE.sgy`: writes a dataset imported from SEG-Y back to SEG-Y from its stored headers.
import { exportSegy } from '../../src/segy/exportSegy.js';
import { type Command, UsageError } from '../lib/command.js';
import { ProgressBar } from '../lib/progress.js';

export const exportSegyCommand: Command = {
  name: 'export-segy',
  summary: 'write a dataset imported from SEG-Y back to a SEG-Y file',
  usage: 'rxvds export-segy SRC FILE.sgy [--connection STRING]',
  options: {},
  async run(positionals, values) {
    const [url, output] = positionals;
    if (!url || !output || positionals.length > 2) throw new UsageError(`expected SRC and FILE.sgy\nUsage: ${this.usage}`);
    const bar = new ProgressBar('export-segy ');
    const result = await exportSegy(url, output, { connectionString: String(values.connection ?? ''), onProgress: (f) => bar.update(f) });
    bar.done();
    console.log(`exported ${url} → ${output}: ${result.tracesWritten} traces, ${result.bytesWritten} bytes`);
  },
};
