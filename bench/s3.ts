// A 256³ R32 Zip dataset on a loopback S3 server (fauxqs): time to open, time to the first inline
// slice and whole-volume MB/s, each with the HTTP requests it made (counted by a pass-through
// proxy). Baseline: the same reads from the local folder in the same run.
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as vds from '../src/index.js';
import { SyntheticSurvey, writeSyntheticSurvey } from '../bin/lib/syntheticSurvey.js';
import { FaultProxy, startS3Server } from '../spec/support/servers.js';
import type { BenchRow } from './bench.js';

const MB = 1024 * 1024;
const size = 256;

interface Timings { openMs: number; inlineMs: number; wholeMs: number }

async function time(url: string, connection: string, counter?: FaultProxy): Promise<{ timings: Timings; requests: number[] }> {
  const requests: number[] = [];
  const mark = () => { requests.push(counter?.requests.length ?? 0); counter?.clear(); };
  counter?.clear();
  let start = performance.now();
  const dataset = await vds.open(url, connection);
  dataset.chunkCache.setMaxBytes(0);
  const openMs = performance.now() - start;
  mark();
  const manager = vds.getAccessManager(dataset);
  start = performance.now();
  const inline = manager.requestVolumeSubset([0, 0, size / 2], [size, size, size / 2 + 1]);
  if (!(await inline.waitForCompletion())) throw new Error(inline.errorMessage);
  const inlineMs = performance.now() - start;
  mark();
  start = performance.now();
  const whole = manager.requestVolumeSubset([0, 0, 0], [size, size, size]);
  if (!(await whole.waitForCompletion())) throw new Error(whole.errorMessage);
  const wholeMs = performance.now() - start;
  mark();
  await vds.close(dataset, false);
  return { timings: { openMs, inlineMs, wholeMs }, requests };
}

export default async function s3Bench(): Promise<BenchRow[]> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const folder = resolve('bench-out', `s3-source-${size}`);
  await rm(folder, { recursive: true, force: true });
  await writeSyntheticSurvey(folder, new SyntheticSurvey(size, size, size), vds.CompressionMethod.Zip);
  const server = await startS3Server();
  const proxy = await FaultProxy.start(server.url);
  try {
    const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
    const admin = new S3Client({ region: 'us-east-1', endpoint: server.url, forcePathStyle: true, credentials });
    await admin.send(new CreateBucketCommand({ Bucket: 'rxvds' }));
    admin.destroy();
    const connection = `Region=us-east-1;EndpointOverride=${proxy.url};AccessKeyId=bench;SecretKey=bench`;
    const s3 = vds.openStore('s3://rxvds/survey', connection, 'create').store;
    await vds.copyDataset(vds.openStore(folder).store, s3);
    await s3.close?.();
    await time(folder, '');  // starts the worker pool, so neither side pays for it
    const local = await time(folder, '');
    const remote = await time('s3://rxvds/survey', connection, proxy);
    const [openRequests, inlineRequests, wholeRequests] = remote.requests;
    return [
      { name: `open ${size}³ Zip on loopback S3`, value: remote.timings.openMs, unit: 'ms',
        baseline: { name: 'open from the local folder', value: local.timings.openMs }, notes: `${openRequests} HTTP requests; lower is better` },
      { name: 'first inline slice on loopback S3', value: remote.timings.inlineMs, unit: 'ms',
        baseline: { name: 'same slice from the local folder', value: local.timings.inlineMs }, notes: `${inlineRequests} HTTP requests; lower is better` },
      { name: `whole volume on loopback S3`, value: (size ** 3 * 4) / MB / (remote.timings.wholeMs / 1000), unit: 'MB/s',
        baseline: { name: 'whole volume from the local folder', value: (size ** 3 * 4) / MB / (local.timings.wholeMs / 1000) }, notes: `${wholeRequests} HTTP requests` },
    ];
  } finally {
    await proxy.stop();
    await server.stop();
    await rm(folder, { recursive: true, force: true });
  }
}
