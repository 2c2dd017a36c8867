// The browser side of the harness page (bundled by harnessPage.ts): rxvds's browser build and the
// shared reads, as `globalThis.harness` for the specs' and benchmark's page.evaluate calls.
import * as vds from '../../src/browser.js';
import { readProbes, timeReads } from './readProbes.js';

export const harness = {
  vds,
  readProbes: (url: string) => readProbes(vds, url),
  timeReads: (url: string, repeat: number, seed?: number) => timeReads(vds, url, repeat, seed),
};

export type Harness = typeof harness;

Object.assign(globalThis, { harness });
