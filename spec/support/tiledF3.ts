// A bigger survey made from F3: its traces repeated along the inline axis, for work that must
// still be running when a spec interrupts it.
import { readFileSync } from 'node:fs';
import { segyFile } from './testdata.js';

const F3_TRACE_BYTES = 240 + 75 * 2;
const F3_TRACES = 414;
const F3_INLINES = 23;

/** F3 repeated `copies` times along the inline axis (inline numbers shifted by 23 per copy), as SEG-Y bytes. */
export function tiledF3(copies: number): Buffer {
  const f3 = readFileSync(segyFile('f3.sgy'));
  const traces = f3.subarray(3600);
  const out = Buffer.alloc(3600 + traces.length * copies);
  f3.copy(out, 0, 0, 3600);
  for (let k = 0; k < copies; k++) {
    const at = 3600 + k * traces.length;
    traces.copy(out, at);
    for (let t = 0; t < F3_TRACES; t++) {
      const inline = at + t * F3_TRACE_BYTES + 188;
      out.writeInt32BE(out.readInt32BE(inline) + F3_INLINES * k, inline);
    }
  }
  return out;
}
