// Child process of the read bench: opens a dataset, reads the whole volume once (chunk cache off)
// and prints its peak resident set size, so the figure holds nothing but that read.
import { readFileSync } from 'node:fs';
import * as vds from '../src/index.js';

const [url] = process.argv.slice(2);
if (!url) throw new Error('usage: peakRss.ts <dataset url>');
const dataset = await vds.open(url);
dataset.chunkCache.setMaxBytes(0);
const layout = vds.getLayout(dataset);
const max = [0, 1, 2].map((d) => layout.getDimensionNumSamples(d));
const request = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], max);
if (!(await request.waitForCompletion())) throw new Error(request.errorMessage);
await vds.close(dataset, false);
await vds.destroyChunkPool();
// Linux's maxRSS of a child starts at its parent's RSS when it was forked; VmHWM is this process's own peak.
const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
console.log(JSON.stringify({ peakRssBytes: Number(hwm ?? process.resourceUsage().maxRSS) * 1024 }));
