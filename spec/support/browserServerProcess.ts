// startBrowserServer in a process of its own, so that a benchmark's clients (Node and Chromium)
// both read from a server that takes no time from them:
//   node --import=tsx spec/support/browserServerProcess.ts NAME=FOLDER...
// serves the datasets and the harness page, prints `{"url": …}` on one line, and stops on SIGTERM.
import { harnessFiles } from './harnessPage.js';
import { startBrowserServer } from './browserServer.js';

const datasets = Object.fromEntries(process.argv.slice(2).map((arg) => arg.split('=', 2) as [string, string]));
const server = await startBrowserServer({ datasets, files: await harnessFiles() });
console.log(JSON.stringify({ url: server.url }));
process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
