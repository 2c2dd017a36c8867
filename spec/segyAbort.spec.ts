// Cancellation the JavaScript way for the long operations: importSegy and exportSegy take
// `{ signal }`; aborting stops IO at once, rejects with CanceledError and leaves no output that
// looks whole (copyDataset's abort is in copy.spec.ts).
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { MemoryStore } from '../sources/stores/memoryStore.js';
import * as vds from '../src/index.js';
import { InstrumentedStore } from './support/slowStore.js';
import { useTempFolder } from './support/tempFolder.js';
import { segyFile } from './support/testdata.js';
import { tiledF3 } from './support/tiledF3.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const F3 = segyFile('f3.sgy');


/** Runs `work`, aborting when `abortNow()` first says so; resolves to its error and how long it took to settle after the abort. */
async function abortDuring(work: (signal: AbortSignal, maybeAbort: () => void) => Promise<unknown>): Promise<{ error: unknown; settledMs: number }> {
  const controller = new AbortController();
  let abortedAt = 0;
  const maybeAbort = () => {
    if (abortedAt) return;
    abortedAt = performance.now();
    controller.abort();
  };
  const error = await work(controller.signal, maybeAbort).then(() => undefined, (e: unknown) => e);
  return { error, settledMs: performance.now() - abortedAt };
}

describe('AbortSignal on importSegy and exportSegy', function () {
  this.timeout(60_000);
  const inFolder = useTempFolder('abort');

  it('importSegy: an abort mid-import stops writing at once, rejects with CanceledError and leaves no dataset that opens', async () => {
    const input = inFolder('tiled.sgy');
    writeFileSync(input, tiledF3(6));
    const inner = new MemoryStore(`abort-import-${process.pid}`);
    const store = new InstrumentedStore(inner);
    let columns = 0;
    let columnsAtAbort = -1;
    const { error, settledMs } = await abortDuring((signal, abort) => vds.segy.importSegy(input, store, {
      signal, brickSize: vds.BrickSize.BrickSize_32,
      onProgress: () => {
        // After the first column of chunks, writes take 10 s: abort while they are in flight
        // (a column or two more may be reported in the 50 ms before the abort).
        if (++columns !== 1) return;
        store.writeDelayMs = 10_000;
        setTimeout(() => { columnsAtAbort = columns; abort(); }, 50);
      },
    }));
    expect(error).to.be.instanceOf(vds.CanceledError);
    // The column being imported when the abort lands may still report; none after it.
    expect(columns).to.be.within(columnsAtAbort, columnsAtAbort + 1);
    expect(settledMs).to.be.lessThan(1000);
    const calls = store.calls;
    await sleep(300);
    expect(store.calls).to.equal(calls);
    let opened: unknown;
    await vds.open(inner).catch((e: unknown) => { opened = e; });
    expect(String(opened)).to.match(/it has no VolumeDataLayout/);
  });

  it('importSegy to a .vds file: an abort removes the file; an aborted signal fails before anything is created', async () => {
    const path = inFolder('aborted.vds');
    const { error } = await abortDuring((signal, abort) => vds.segy.importSegy(F3, path, { signal, onProgress: abort }));
    expect(error).to.be.instanceOf(vds.CanceledError);
    expect(existsSync(path)).to.equal(false);
    expect(existsSync(`${path}.lock`)).to.equal(false);

    const early = await vds.segy.importSegy(F3, inFolder('never.vds'), { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(early).to.be.instanceOf(vds.CanceledError);
    expect(existsSync(inFolder('never.vds'))).to.equal(false);
  });

  it('exportSegy: an abort cancels the reads in flight, rejects with CanceledError and removes the partial file', async () => {
    // Many small chunks, so that reads are still to come when the first line is written.
    const input = inFolder('tiled-export.sgy');
    writeFileSync(input, tiledF3(6));
    const inner = new MemoryStore(`abort-export-${process.pid}`);
    await vds.segy.importSegy(input, inner, { brickSize: vds.BrickSize.BrickSize_32 });
    const source = new InstrumentedStore(inner);
    const output = inFolder('partial.sgy');
    let lines = 0;
    const { error, settledMs } = await abortDuring((signal, abort) => vds.segy.exportSegy(source, output, {
      signal,
      onProgress: () => {
        if (++lines !== 1) return;
        source.delayMs = 10_000;
        setTimeout(abort, 50);
      },
    }));
    expect(error).to.be.instanceOf(vds.CanceledError);
    expect(settledMs).to.be.lessThan(1000);
    const calls = source.calls;
    await sleep(300);
    expect(source.calls).to.equal(calls);
    expect(source.activeReads).to.equal(0);
    expect(existsSync(output)).to.equal(false);
  });

  describe('exportSegy over an existing file', () => {
    let inner: MemoryStore;
    before(async () => {
      const input = inFolder('tiled-existing.sgy');
      writeFileSync(input, tiledF3(6));
      inner = new MemoryStore(`existing-export-${process.pid}`);
      await vds.segy.importSegy(input, inner, { brickSize: vds.BrickSize.BrickSize_32 });
    });
    const leftovers = () => readdirSync(inFolder()).filter((name) => name.includes('rxvds-partial'));

    it('an abort mid-export leaves the user\'s file as it was, and no partial file beside it', async () => {
      const source = new InstrumentedStore(inner);
      const output = inFolder('precious.sgy');
      writeFileSync(output, 'precious');
      let bytesAtAbort = -1;
      const { error } = await abortDuring((signal, abort) => vds.segy.exportSegy(source, output, {
        signal,
        onProgress: () => {
          // The first line is written by now: the export is under way.
          if (bytesAtAbort >= 0) return;
          bytesAtAbort = readFileSync(output).byteLength;
          source.delayMs = 10_000;
          setTimeout(abort, 50);
        },
      }));
      expect(error).to.be.instanceOf(vds.CanceledError);
      expect(bytesAtAbort, 'the file while the export ran').to.equal(8);
      expect(readFileSync(output, 'utf8')).to.equal('precious');
      expect(leftovers()).to.deep.equal([]);
    });

    it('a read failure mid-export leaves the user\'s file as it was; a finished export replaces it whole', async () => {
      const source = new InstrumentedStore(inner);
      const output = inFolder('kept.sgy');
      writeFileSync(output, 'kept');
      let lines = 0;
      // Chunk reads fail once the first line is out.
      source.corrupt = (key, bytes) => (lines > 0 && /LOD0\/\d+$/.test(key) ? new Uint8Array(3) : bytes);
      const error = await vds.segy.exportSegy(source, output, { onProgress: () => { lines++; } }).then(() => undefined, (e: unknown) => e);
      expect(error).to.be.instanceOf(vds.ReadError);
      expect(lines).to.be.greaterThan(0);
      expect(readFileSync(output, 'utf8')).to.equal('kept');
      expect(leftovers()).to.deep.equal([]);

      const result = await vds.segy.exportSegy(inner, output);
      expect(statSync(output).size).to.equal(result.bytesWritten).and.to.be.greaterThan(3600);
      expect(leftovers()).to.deep.equal([]);
    });
  });
});
