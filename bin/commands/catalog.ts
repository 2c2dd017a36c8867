// The CLI's commands by name. A command's module (and with it the library, RxJS and the worker
// pool) loads only when that command runs, so `rxvds --help` and `--version` start at once.
import type { Command } from '../lib/command.js';

export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

export const catalog: readonly CommandEntry[] = [
  { name: 'demo', summary: 'create a synthetic survey in a local folder, read slices back, write PNGs',
    load: async () => (await import('./demo.js')).demoCommand },
  { name: 'info', summary: 'print a dataset\'s axes, channels, layers, compression, size and SEG-Y text header (VDSInfo\'s options; --json)',
    load: async () => (await import('./info.js')).infoCommand },
  { name: 'slice', summary: 'write one slice of a dataset as an annotated PNG or raw little-endian float32',
    load: async () => (await import('./slice.js')).sliceCommand },
  { name: 'copy', summary: 'copy a dataset between stores (folder, inmemory, s3, azure, .vds); resumes an interrupted copy',
    load: async () => (await import('./copy.js')).copyCommand },
  { name: 'import-segy', summary: 'import a SEG-Y file or URL (post-stack, pre-stack, 2D or gathers) into a dataset (SEGYImport\'s options; --scan)',
    load: async () => (await import('./importSegy.js')).importSegyCommand },
  { name: 'worker', summary: 'work for distributed jobs (import-segy --distributed) from a Redis job queue, until Ctrl-C',
    load: async () => (await import('./worker.js')).workerCommand },
  { name: 'export-segy', summary: 'write a dataset imported from SEG-Y back to a SEG-Y file',
    load: async () => (await import('./exportSegy.js')).exportSegyCommand },
  { name: 'serve', summary: 'serve datasets over HTTP: metadata, slices (float32, PNG, streamed with progress), fences, samples, horizon attributes',
    load: async () => (await import('./serve.js')).serveCommand },
];
