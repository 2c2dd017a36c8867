// A generated post-stack SEG-Y file (big-endian IEEE floats, inline sorted) of any size, with
// values that depend on the position only, for imports larger than the test corpus's files.
import { open } from 'node:fs/promises';

export interface GeneratedSurvey {
  inlines: number;
  crosslines: number;
  samples: number;
}

export const traceByteSize = (survey: GeneratedSurvey): number => 240 + survey.samples * 4;

export async function writeGeneratedSegy(path: string, survey: GeneratedSurvey): Promise<void> {
  const { inlines, crosslines, samples } = survey;
  const traceBytes = traceByteSize(survey);
  const file = await open(path, 'w');
  try {
    const head = Buffer.alloc(3600, 0x40);  // EBCDIC spaces
    head.fill(0, 3200);
    head.writeInt16BE(4000, 3216);          // sample interval, µs
    head.writeInt16BE(samples, 3220);
    head.writeInt16BE(5, 3224);             // IEEE float
    await file.write(head, 0, head.length, 0);
    for (let il = 0; il < inlines; il++) {
      const line = Buffer.alloc(crosslines * traceBytes);
      for (let xl = 0; xl < crosslines; xl++) {
        const at = xl * traceBytes;
        line.writeInt32BE(il * crosslines + xl + 1, at);
        line.writeInt16BE(-100, at + 70);
        line.writeInt32BE(100 * (1000 + 25 * xl), at + 180);
        line.writeInt32BE(100 * (5000 + 25 * il), at + 184);
        line.writeInt32BE(1000 + il, at + 188);
        line.writeInt32BE(2000 + xl, at + 192);
        line.writeInt16BE(samples, at + 114);
        line.writeInt16BE(4000, at + 116);
        for (let s = 0; s < samples; s++) line.writeFloatBE(Math.sin(s * 0.05 + il * 0.01) * Math.cos(xl * 0.02), at + 240 + s * 4);
      }
      await file.write(line, 0, line.length, 3600 + il * line.length);
    }
  } finally {
    await file.close();
  }
}
