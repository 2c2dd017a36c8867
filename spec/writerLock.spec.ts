// The `.vds` writer lock: live writers exclude each other, a dead writer's lock is taken over by
// exactly one resumer, a lock held from another host is refused with instructions.
import { expect } from 'chai';
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { WriterLock } from '../sources/vdsFile/fileLock.js';
import { VdsFileDataset } from '../sources/dataset/vdsFileDataset.js';
import * as vds from '../src/index.js';
import { rejection } from './support/rejection.js';
import { useTempFolder } from './support/tempFolder.js';
import { writeTestVolume } from './support/volumes.js';

type Child = ChildProcessByStdio<Writable, Readable, null>;

function spawnChild(script: string, args: string[]): Child {
  return spawn(process.execPath, ['--import=tsx', join('spec', 'support', script), ...args],
    { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NODE_V8_COVERAGE: '' } });
}

/** Resolves with the child's first output line that matches. */
function lineFrom(child: Child, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (data: Buffer) => {
      text += data.toString();
      const line = text.split('\n').find((l) => pattern.test(l));
      if (line !== undefined) resolve(line);
    });
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before printing ${pattern}: ${text}`)));
  });
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

const lockRecord = (pid: number, host = hostname(), token = 'ab'.repeat(16), started?: string) =>
  `${JSON.stringify({ pid, host, started, token })}\n`;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** Every chunk's single value: the spec volumes hold one value per chunk. */
async function chunkValues(path: string): Promise<number[]> {
  const dataset = await vds.open(path);
  const accessor = vds.getAccessManager(dataset).createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, 2,
    vds.AccessMode.AccessMode_ReadOnly);
  const values: number[] = [];
  for (let chunk = 0; chunk < accessor.getChunkCount(); chunk++) {
    const page = await accessor.readPage(chunk);
    const distinct = [...new Set(page.getBuffer() as Float32Array)];
    await page.release();
    expect(distinct, `chunk ${chunk}`).to.have.length(1);
    values.push(distinct[0]!);
  }
  await vds.close(dataset);
  return values;
}

describe('.vds writer lock', function () {
  this.timeout(60_000);
  const inFolder = useTempFolder('lock');
  let count = 0;
  /** A fresh path for an empty `.vds` with a lock file holding `content`, aged `ageMs`. */
  async function lockedFile(content: string, ageMs = 0): Promise<string> {
    const file = inFolder(`locked-${++count}.vds`);
    await writeFile(`${file}.lock`, content);
    const when = new Date(Date.now() - ageMs);
    await utimes(`${file}.lock`, when, when);
    return file;
  }
  const claims = async () => (await readdir(inFolder())).filter((name) => name.endsWith('.claim'));

  it('a writer killed after a commit: refused while it lives, then taken over; the committed chunks are intact', async () => {
    const path = inFolder('interrupted.vds');
    await writeTestVolume({ url: path, size: [64, 64, 32], format: vds.VolumeDataFormat.Format_R32, method: vds.CompressionMethod.Zip,
      brickSize: vds.BrickSize.BrickSize_32, value: () => -1 });
    const child = spawnChild('interruptedVdsWriter.ts', [path, '100']);
    const exited = once(child, 'exit');
    try {
      await lineFrom(child, /^committed$/);
      const record = JSON.parse(await readFile(`${path}.lock`, 'utf8')) as { pid: number; host: string; token: string };
      expect(record).to.deep.include({ pid: child.pid, host: hostname() });
      expect(record.token).to.match(/^[0-9a-f]{32}$/);
      const refused = await rejection(new VdsFileDataset(path, 'write').open());
      expect(refused).to.be.instanceOf(vds.InvalidOperationError);
      expect(refused.message).to.equal(`Cannot write ${path}: another writer has it open (process ${child.pid} on this host holds ${path}.lock)`);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    expect(await exists(`${path}.lock`)).to.equal(true);
    expect(await chunkValues(path)).to.deep.equal([100, 101, 102, 103]);
    // Resuming: a new writer takes the dead writer's lock over at its first write.
    const dataset = await vds.open(path);
    const accessor = vds.getAccessManager(dataset).createVolumeDataPageAccessor(vds.DimensionsND.Dimensions_012, 0, 0, 2,
      vds.AccessMode.AccessMode_ReadWrite);
    for (let chunk = 0; chunk < accessor.getChunkCount(); chunk++) {
      const page = await accessor.readPage(chunk);
      (page.getWritableBuffer() as Float32Array).fill(200 + chunk);
      await page.release();
    }
    await accessor.commit();
    await vds.close(dataset);
    expect(await exists(`${path}.lock`)).to.equal(false);
    expect(await chunkValues(path)).to.deep.equal([200, 201, 202, 203]);
  });

  it('two live writers in one process exclude each other; the lock goes with the first', async () => {
    const file = inFolder('live.vds');
    const first = await WriterLock.acquire(file);
    const refused = await rejection(WriterLock.acquire(file));
    expect(refused).to.be.instanceOf(vds.InvalidOperationError);
    expect(refused.message).to.equal(`Cannot write ${file}: another writer has it open (process ${process.pid} on this host holds ${file}.lock)`);
    await first.release();
    expect(await exists(`${file}.lock`)).to.equal(false);
    await (await WriterLock.acquire(file)).release();
  });

  it('a writer that exits without closing removes its lock', async () => {
    const file = inFolder('exits.vds');
    const child = spawnChild('lockContender.ts', [file, '--exit']);
    await lineFrom(child, /^ready$/);
    child.stdin.write('go\n');
    expect(await lineFrom(child, /^(won|lost: .*)$/)).to.equal('won');
    const [code] = await once(child, 'exit') as [number];
    expect(code).to.equal(0);
    expect(await exists(`${file}.lock`)).to.equal(false);
  });

  it('refuses a lock held from another host, naming it and how to remove it, and leaves it alone', async () => {
    const content = lockRecord(4242, 'build-07.example');
    const file = await lockedFile(content, 3_600_000);
    const refused = await rejection(WriterLock.acquire(file));
    expect(refused).to.be.instanceOf(vds.InvalidOperationError);
    expect(refused.message).to.equal(`Cannot write ${file}: another writer has it open (process 4242 on host build-07.example holds ` +
      `${file}.lock; delete ${file}.lock if you are sure no writer is running there)`);
    expect(await readFile(`${file}.lock`, 'utf8')).to.equal(content);
  });

  it('takes over the lock of a dead process, and of a live pid that is another process now', async () => {
    const file = await lockedFile(lockRecord(await deadPid()));
    const lock = await WriterLock.acquire(file);
    expect(JSON.parse(await readFile(`${file}.lock`, 'utf8'))).to.deep.include({ pid: process.pid, host: hostname() });
    await lock.release();
    expect(await exists(`${file}.lock`)).to.equal(false);
    if (await exists('/proc/self/stat')) {
      // Our own pid, but a start time that is not ours: the owner died and its pid was reused.
      const reused = await lockedFile(lockRecord(process.pid, hostname(), 'cd'.repeat(16), '1'));
      await (await WriterLock.acquire(reused)).release();
    }
  });

  it('a malformed or empty lock is stale once a few seconds old, and waited for while fresh', async () => {
    for (const content of ['', 'garbage', '12345\n', '{"pid":1}']) {
      const file = await lockedFile(content, 60_000);
      const started = Date.now();
      await (await WriterLock.acquire(file)).release();
      expect(Date.now() - started, JSON.stringify(content)).to.be.below(1000);
    }
    // Left by a writer killed between creating and writing it 4.6 s ago: usable 0.4 s later.
    const fresh = await lockedFile('', 4600);
    const started = Date.now();
    await (await WriterLock.acquire(fresh)).release();
    expect(Date.now() - started).to.be.within(300, 2500);
    expect(await claims()).to.deep.equal([]);
  });

  it('a claim left by a resumer that died mid-takeover is taken over too', async () => {
    const file = await lockedFile(lockRecord(await deadPid(), hostname(), 'ef'.repeat(16)));
    await writeFile(`${file}.lock.${'ef'.repeat(16)}.claim`, lockRecord(await deadPid(), hostname(), '01'.repeat(16)));
    const lock = await WriterLock.acquire(file);
    expect(JSON.parse(await readFile(`${file}.lock`, 'utf8'))).to.deep.include({ pid: process.pid });
    expect(await claims()).to.deep.equal([]);
    await lock.release();
  });

  it('of eight resumers racing for a dead lock in one process exactly one wins', async () => {
    const file = await lockedFile(lockRecord(await deadPid()));
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => WriterLock.acquire(file)));
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    expect(won).to.have.length(1);
    for (const o of outcomes) {
      if (o.status === 'rejected') expect((o.reason as Error).message).to.contain('another writer has it open');
    }
    expect(await claims()).to.deep.equal([]);
    await (won[0] as PromiseFulfilledResult<WriterLock>).value.release();
  });

  it('of three resumer processes racing for a dead lock exactly one wins', async () => {
    const file = await lockedFile(lockRecord(await deadPid()));
    const children = Array.from({ length: 3 }, () => spawnChild('lockContender.ts', [file]));
    try {
      await Promise.all(children.map((child) => lineFrom(child, /^ready$/)));
      const results = children.map((child) => lineFrom(child, /^(won|lost: .*)$/));
      for (const child of children) child.stdin.write('go\n');
      const lines = await Promise.all(results);
      const winners = children.filter((_, i) => lines[i] === 'won');
      expect(winners, lines.join('\n')).to.have.length(1);
      const expected = `lost: Cannot write ${file}: another writer has it open (process ${winners[0]!.pid} on this host holds ${file}.lock)`;
      expect(lines.filter((line) => line !== 'won')).to.deep.equal([expected, expected]);
    } finally {
      for (const child of children) child.stdin.end();
      await Promise.all(children.map((child) => child.exitCode === null ? once(child, 'exit') : undefined));
    }
    expect(await exists(`${file}.lock`)).to.equal(false);
    expect(await claims()).to.deep.equal([]);
  });
});
