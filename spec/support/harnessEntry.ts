// The browser side of the harness page (bundled by harnessPage.ts): rxvds's browser build and the
// shared reads, as `globalThis.harness` for the specs' and benchmark's page.evaluate calls. (Code
// that page.evaluate sends is best kept to one-liners calling these: tsx compiles the spec with
// helpers, such as __name, that the page does not have.)
import * as vds from '../../src/browser.js';
import { readProbes, timeReads } from './readProbes.js';

/** How a spec stops a read: OpenVDS's `cancel()`, or its only subscriber leaving. */
export type StopHow = 'cancel()' | 'unsubscribing';

let opened: vds.VDS | undefined;
let stop: (() => void) | undefined;
let running: vds.VolumeDataRequest<vds.VolumeDataTypedArray> | undefined;

export const harness = {
  vds,
  readProbes: (url: string) => readProbes(vds, url),
  timeReads: (url: string, repeat: number, seed?: number) => timeReads(vds, url, repeat, seed),
  /** What holds a request's data: SharedArrayBuffer where the page may share memory with its workers, else ArrayBuffer. */
  async bufferKind(url: string): Promise<string> {
    const dataset = await vds.open(url);
    const request = vds.getAccessManager(dataset).requestVolumeSubset([0, 0, 0], [1, 1, 1]);
    await request.waitForCompletion();
    await vds.close(dataset, false);
    return request.data.buffer.constructor.name;
  },
  /** Opens the dataset whose primary channel `startWholeRead` reads. */
  async open(url: string): Promise<void> {
    opened = await vds.open(url);
  },
  /** Starts reading the whole of LOD 0, with one subscriber; `stopRead` stops it. */
  startWholeRead(how: StopHow): void {
    const layout = vds.getLayout(opened!);
    const request = vds.getAccessManager(opened!).requestVolumeSubset([0, 0, 0], [0, 1, 2].map((d) => layout.getDimensionNumSamples(d)));
    const events = request.subscribe({ error: () => undefined });
    running = request;
    stop = how === 'cancel()' ? () => request.cancel() : () => events.unsubscribe();
  },
  /** Stops the read and says how it ended. */
  async stopRead(): Promise<{ completed: boolean; canceled: boolean; errorCode: number }> {
    stop!();
    const completed = await running!.waitForCompletion();
    await vds.close(opened!, false);
    return { completed, canceled: running!.isCanceled(), errorCode: running!.errorCode };
  },
};

export type Harness = typeof harness;

Object.assign(globalThis, { harness });
