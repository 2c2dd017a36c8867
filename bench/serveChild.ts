// Child process of the serve bench, so that each side's memory is its own: `server DATASET` runs the
// service on a free loopback port; `inprocess DATASET` opens the dataset and runs the request lists
// its parent sends through the rxvds API (the baseline). Both stop on a "stop" message.
import * as vds from '../src/index.js';
import { createServer } from '../src/serve/index.js';
import { BENCH_DATASET_ID, type BenchRequest, inProcess, runClients, type SurveyAxis } from './serveWorkload.js';

// The parent imports these types only: importing this module would run it.
export type ChildReply = { ready: true; url?: string } | { result: Awaited<ReturnType<typeof runClients>> } | { stopped: true };
export type ChildMessage = 'stop' | { run: readonly BenchRequest[]; clients: number; axes: readonly SurveyAxis[] };

const [mode, url] = process.argv.slice(2);
if (!url || (mode !== 'server' && mode !== 'inprocess')) throw new Error('usage: serveChild.ts server|inprocess <dataset url>');
const send = (reply: ChildReply) => process.send!(reply);

if (mode === 'server') {
  const server = createServer({ datasets: [{ id: BENCH_DATASET_ID, url }] });
  const { url: base } = await server.listen({ host: '127.0.0.1', port: 0 });
  process.on('message', (message: ChildMessage) => {
    if (message !== 'stop') return;
    void server.close().then(() => vds.destroyChunkPool()).then(() => { send({ stopped: true }); process.disconnect(); });
  });
  send({ ready: true, url: base });
} else {
  const dataset = await vds.open(url);
  process.on('message', (message: ChildMessage) => {
    if (message === 'stop') {
      void vds.close(dataset, false).then(() => vds.destroyChunkPool()).then(() => { send({ stopped: true }); process.disconnect(); });
      return;
    }
    void runClients(message.run, message.clients, (request) => inProcess(dataset, message.axes, request)).then((result) => send({ result }));
  });
  send({ ready: true });
}
