// The small pure stages every pipeline is built of, tested as RxJS tests its operators: with marble
// diagrams on a virtual clock (TestScheduler), plus the abort plumbing they carry.
import { expect } from 'chai';
import { delay, map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { inFlight } from '../operators/inFlight.js';
import { untilAborted } from '../operators/untilAborted.js';
import { fromAbortable } from '../src/async/fromAbortable.js';
import { SharedLoad } from '../src/async/sharedLoad.js';
import { CanceledError } from '../src/model/errors.js';

const scheduler = () => new TestScheduler((actual, expected) => { expect(actual).to.deep.equal(expected); });

describe('pipeline stages', () => {
  describe('inFlight', () => {
    it('runs at most `limit` items at a time, in completion order (the backpressure point)', () => {
      scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('(abcde|)');
        // Each item takes 4 frames: two at a time, so C and D start only when A and B are done.
        const result = source.pipe(inFlight(2, (item$) => item$.pipe(delay(4), map((x) => x.toUpperCase()))));
        expectObservable(result).toBe('----(AB)(CD)(E|)');
        expectSubscriptions(source.subscriptions).toBe('(^!)');
      });
    });

    it('passes an error on at once: b, due at the same frame, is never emitted', () => {
      scheduler().run(({ cold, expectObservable }) => {
        const result = cold('(ab|)').pipe(inFlight(2, (item$) => item$.pipe(delay(2), map((x) => {
          if (x === 'a') throw new Error('bad chunk a');
          return x;
        }))));
        expectObservable(result).toBe('--#', undefined, new Error('bad chunk a'));
      });
    });
  });

  describe('untilAborted', () => {
    it('ends with CanceledError when the signal aborts, and unsubscribes the source', () => {
      scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const controller = new AbortController();
        const source = cold('a-b-c-d|');
        expectObservable(source.pipe(untilAborted(controller.signal))).toBe('a-b-#', undefined, new CanceledError());
        expectSubscriptions(source.subscriptions).toBe('^---!');
        // Abort between b and c, on the virtual clock.
        cold('----x').subscribe(() => controller.abort());
      });
    });

    it('fails before the source starts when the signal is already aborted', () => {
      scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('a|');
        expectObservable(source.pipe(untilAborted(AbortSignal.abort()))).toBe('#', undefined, new CanceledError());
        expectSubscriptions(source.subscriptions).toBe([]);
      });
    });
  });

  describe('fromAbortable and SharedLoad', () => {
    it('fromAbortable aborts the work when unsubscribed before it settles, and emits nothing after', async () => {
      let seen: AbortSignal | undefined;
      const values: number[] = [];
      const subscription = fromAbortable((signal) => {
        seen = signal;
        return new Promise<number>((resolve) => setTimeout(() => resolve(1), 20));
      }).subscribe((v) => values.push(v));
      subscription.unsubscribe();
      expect(seen?.aborted).to.equal(true);
      await new Promise((resolve) => setTimeout(resolve, 40));
      expect(values).to.deep.equal([]);
      expect(await new Promise((resolve) => { fromAbortable(async () => 7).subscribe(resolve); })).to.equal(7);
    });

    it('SharedLoad loads once for many waiters, and aborts the load only when the last waiter leaves', async () => {
      let loads = 0;
      let loadSignal: AbortSignal | undefined;
      let forgotten = 0;
      const load = new SharedLoad<number>((signal) => {
        loads++;
        loadSignal = signal;
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => resolve(42), 50);
          signal.addEventListener('abort', () => { clearTimeout(timer); reject(new CanceledError()); });
        });
      }, () => { forgotten++; });
      const [a, b] = [new AbortController(), new AbortController()];
      const first = load.wait(a.signal);
      const second = load.wait(b.signal);
      a.abort();
      await first.then(() => expect.fail('first waiter was aborted'), (error: unknown) => expect(error).to.be.instanceOf(CanceledError));
      expect(loadSignal!.aborted).to.equal(false);
      b.abort();
      await second.catch(() => undefined);
      expect([loads, loadSignal!.aborted, load.isAbandoned, forgotten >= 1]).to.deep.equal([1, true, true, true]);
      const kept = new SharedLoad<number>(async () => 5, () => undefined);
      expect(await Promise.all([kept.wait(), kept.wait()])).to.deep.equal([5, 5]);
    });
  });
});
