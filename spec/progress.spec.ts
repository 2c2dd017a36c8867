// The CLI's progress reporting with a fake clock and a fake stderr: the formatting of rate and ETA,
// when plain and JSON lines are written, and progress that counts acknowledged store writes.
import { expect } from 'chai';
import { AcknowledgedWrites } from '../bin/lib/acknowledgedWrites.js';
import { formatBar, formatDuration, formatJson, formatPlain, formatRate, ProgressBar, progressState } from '../bin/lib/progress.js';
import { MemoryStore } from '../sources/stores/memoryStore.js';

class FakeTerminal {
  text = '';
  constructor(readonly isTTY: boolean) {}
  write(chunk: string): void { this.text += chunk; }
  get lines(): string[] { return this.text.split('\n').filter((l) => l !== ''); }
}

function fakeClock() {
  let ms = 0;
  return { now: () => ms, advance: (seconds: number) => { ms += seconds * 1000; } };
}

describe('CLI progress', () => {
  describe('formatting', () => {
    it('durations: seconds, minutes, hours, unknown', () => {
      expect([0, 7.4, 59.6, 65, 3599, 3600, 7440, undefined, Infinity].map(formatDuration))
        .to.deep.equal(['0s', '7s', '1m00s', '1m05s', '59m59s', '1h00m', '2h04m', '?', '?']);
    });

    it('rates: decimal MB/s for bytes, units per second otherwise', () => {
      expect(formatRate(12_345_678, 'bytes')).to.equal('12.3 MB/s');
      expect(formatRate(850.4, 'objects')).to.equal('850 objects/s');
      expect(formatRate(4.25, 'percent')).to.equal('4.3 %/s');
      expect(formatRate(undefined, 'bytes')).to.equal('?');
    });

    it('state: the average rate so far and the time left at that rate', () => {
      // 25 % of 50 MB in 5 s: 2.5 MB/s, and 75 % to go at 5 % a second is 15 s.
      const state = progressState('import', 0.25, 50e6, 'bytes', 5);
      expect(state).to.deep.include({ done: 12.5e6, total: 50e6, rate: 2.5e6, eta: 15, fraction: 0.25 });
      expect(formatBar(state)).to.equal(`import [${'#'.repeat(8)}${'.'.repeat(22)}]  25% 2.5 MB/s ETA 15s`);
      expect(formatPlain(state, '3/8 chunks')).to.equal('import: 25% (2.5 MB/s, 5s elapsed, ETA 15s) 3/8 chunks');
      expect(JSON.parse(formatJson(state))).to.deep.equal({
        task: 'import', done: 12.5e6, total: 50e6, unit: 'bytes', percent: 25, rate: 2.5e6, elapsed: 5, eta: 15 });
      // Nothing done yet: no ETA; no time passed: no rate; finished: no time left.
      expect(progressState('x', 0, 10, 'items', 3)).to.deep.include({ rate: 0, eta: undefined });
      expect(progressState('x', 0.5, 10, 'items', 0)).to.deep.include({ rate: undefined });
      expect(progressState('x', 1, 10, 'items', 3).eta).to.equal(0);
      expect(progressState('x', 1.5, 10, 'items', 3).fraction).to.equal(1);
    });
  });

  describe('ProgressBar', () => {
    it('plain lines when stderr is not a terminal: every 10 % (at most once a second) or 2 s, and 100 % once at the end', () => {
      const out = new FakeTerminal(false);
      const clock = fakeClock();
      const bar = new ProgressBar('copy', { out, clock: clock.now, total: 1000, unit: 'objects' });
      for (let i = 1; i <= 100; i++) {
        clock.advance(0.01);
        bar.update(i / 200);
      }
      // 0…50 % in 1 s: one line, when the second is up.
      expect(out.lines.map((l) => /: (\d+)%/.exec(l)![1])).to.deep.equal(['50']);
      clock.advance(2);
      bar.update(0.52); // a slow phase: 2 s since the last line
      bar.update(0.53); // too soon, too small a step
      expect(out.lines.at(-1)).to.equal('copy: 52% (173 objects/s, 3s elapsed, ETA 3s)');
      expect(out.lines).to.have.length(2);
      bar.update(0.4); // never backwards
      bar.done();
      bar.done();
      expect(out.lines.at(-1)).to.match(/^copy: 100% \(333 objects\/s, 3s elapsed, ETA 0s\)$/);
      expect(out.lines).to.have.length(3);
    });

    it('json lines: parseable, monotone, ending at done = total', () => {
      const out = new FakeTerminal(false);
      const clock = fakeClock();
      const bar = new ProgressBar('import-segy', { out, clock: clock.now, mode: 'json', total: 4e6, unit: 'bytes' });
      for (const f of [0.25, 0.5, 0.75, 1]) {
        clock.advance(1);
        bar.update(f);
      }
      bar.done();
      const lines = out.lines.map((l) => JSON.parse(l) as { done: number; total: number; percent: number; rate: number; eta: number });
      expect(lines.map((l) => [l.done, l.percent, l.rate, l.eta])).to.deep.equal([
        [1e6, 25, 1e6, 3], [2e6, 50, 1e6, 2], [3e6, 75, 1e6, 1], [4e6, 100, 1e6, 0]]);
      expect(lines.every((l) => l.total === 4e6)).to.equal(true);
    });

    it('a bar redrawn in place on a terminal, ending with a newline; nothing with mode none', () => {
      const out = new FakeTerminal(true);
      const clock = fakeClock();
      const bar = new ProgressBar('write', { out, clock: clock.now });
      clock.advance(1);
      bar.update(0.5);
      bar.update(0.5); // same percentage, too soon: no redraw
      clock.advance(1);
      bar.done();
      expect(out.text).to.equal(`\rwrite [${'#'.repeat(15)}${'.'.repeat(15)}]  50% ETA 1s\x1b[K` +
        `\rwrite [${'#'.repeat(30)}] 100% ETA 0s\x1b[K\n`);
      const silent = new FakeTerminal(true);
      const quiet = new ProgressBar('write', { out: silent, mode: 'none' });
      quiet.update(0.5);
      quiet.done();
      expect(silent.text).to.equal('');
    });
  });

  describe('AcknowledgedWrites', () => {
    it('reaches a mark only when the writes begun before it have completed', async () => {
      const releases: (() => void)[] = [];
      const slow = new MemoryStore('slow');
      const set = slow.set.bind(slow);
      slow.set = async (key, data) => { await new Promise<void>((resolve) => releases.push(resolve)); await set(key, data); };
      const seen: number[] = [];
      const writes = new AcknowledgedWrites((f) => seen.push(f));
      const store = writes.wrap(slow);
      const first = [store.set('a', new Uint8Array(1)), store.set('b', new Uint8Array(1))];
      writes.queued(0.5);
      const second = store.set('c', new Uint8Array(1));
      writes.queued(1);
      expect(seen).to.deep.equal([]); // queued is not written
      releases.shift()!();
      await first[0];
      expect(seen).to.deep.equal([]);
      releases.shift()!();
      await first[1];
      expect(seen).to.deep.equal([0.5]);
      releases.shift()!();
      await second;
      expect(seen).to.deep.equal([0.5, 1]);
      expect(await store.get('c')).to.deep.equal(new Uint8Array(1));
      expect(store.description).to.equal(slow.description);
    });
  });
});
