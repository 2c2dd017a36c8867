// Serves the browser demo and one folder dataset on 127.0.0.1:
//   npm run demo:browser -- DATASET_FOLDER [--port 8080] [--isolated]
// then open the printed address. `--isolated` serves the page cross-origin isolated (COOP/COEP),
// so the Web Worker pool delivers into a SharedArrayBuffer instead of transferring buffers.
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startBrowserServer } from '../../spec/support/browserServer.js';
import { bundleDemo } from './bundle.js';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { port: { type: 'string', default: '8080' }, isolated: { type: 'boolean' } } });
if (positionals.length !== 1) {
  console.error('usage: npm run demo:browser -- DATASET_FOLDER [--port 8080] [--isolated]');
  process.exit(2);
}
const folder = resolve(positionals[0]!);
const name = basename(folder);
const server = await startBrowserServer({ datasets: { [name]: folder }, files: await bundleDemo(), port: Number(values.port) });
const page = values.isolated ? '/isolated/' : '/';
console.log(`rxvds demo: ${server.url}${page}?url=/datasets/${encodeURIComponent(name)}  (Ctrl-C stops)`);
process.once('SIGINT', () => void server.stop().then(() => process.exit(0)));
