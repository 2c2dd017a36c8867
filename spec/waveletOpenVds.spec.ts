// OpenVDS 3.4 itself reads datasets whose chunks the wavelet encoder wrote: identical to rxvds's
// decode, within the tolerance, lossless bit for bit, and adaptive (partial) reads agree too.
// Needs the reference build (/work/ref-openvds/env.sh, see shared/tools/ref-openvds); skips without it.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompressionMethod as M, VolumeDataFormat as F } from '../src/model/enums.js';
import type { WaveletMethod } from '../src/codecs/wavelet/encoder.js';
import {
  DATASET_SIZE, isHole, readWithRxvds, storedSamples, syntheticVolume, valueRange, writeWaveletDataset,
} from './support/waveletDataset.js';
import { useTempFolder } from './support/tempFolder.js';

const ENV = '/work/ref-openvds/env.sh';
const SCRIPT = new URL('./support/openvdsRead.py', import.meta.url).pathname;

function readWithOpenVds(path: string, adaptiveTolerance?: number): Float32Array {
  const out = `${path}.openvds.f32`;
  const args = [path, out, ...(adaptiveTolerance === undefined ? [] : [String(adaptiveTolerance)])].map((a) => `'${a}'`).join(' ');
  execFileSync('bash', ['-c', `source ${ENV} && python3 '${SCRIPT}' ${args}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  const bytes = readFileSync(out);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/**
 * OpenVDS 3.4 writes `WaveletNormalizeBlock[Lossless]` in LayerStatus but parses only the
 * `…Experimental…` spelling (format sheet 2.x quirk), so for its read the names are respelled.
 */
function respellNormalizeBlockForOpenVds(path: string): void {
  const file = join(path, 'LayerStatus');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/"WaveletNormalizeBlock(Lossless)?"/g, '"WaveletNormalizeBlockExperimental$1"'));
}

function compare(a: Float32Array, b: Float32Array): { maxError: number; differing: number } {
  let maxError = 0, differing = 0;
  for (let i = 0; i < a.length; i++) {
    maxError = Math.max(maxError, Math.abs(a[i]! - b[i]!));
    if (!Object.is(a[i], b[i])) differing++;
  }
  return { maxError, differing };
}

describe('wavelet encoder: OpenVDS 3.4 reads the streams', function () {
  this.timeout(120_000);
  before(function () { if (!existsSync(ENV)) this.skip(); });
  const inFolder = useTempFolder('wavelet-openvds');
  const volume = syntheticVolume(DATASET_SIZE);
  const unitOf = (format: F) => { const [min, max] = valueRange(format as F.Format_R32); return (max - min) / 255; };
  const unit = unitOf(F.Format_R32);

  const cases: [WaveletMethod, number, F.Format_R32 | F.Format_U8 | F.Format_U16][] = [
    [M.Wavelet, 1, F.Format_R32], [M.Wavelet, 4, F.Format_R32], [M.WaveletNormalizeBlock, 1, F.Format_R32], [M.WaveletLossless, 0.5, F.Format_R32],
    [M.WaveletNormalizeBlockLossless, 1, F.Format_R32], [M.Wavelet, 2, F.Format_U8], [M.WaveletLossless, 1, F.Format_U8], [M.Wavelet, 1, F.Format_U16],
    [M.WaveletLossless, 1, F.Format_U16],
  ];
  for (const [method, tolerance, format] of cases) {
    it(`${F[format]} ${M[method]} at tolerance ${tolerance}: OpenVDS decodes every chunk exactly as rxvds, within the bound`, async () => {
      const path = inFolder(`${F[format]}-${M[method]}-${tolerance}`);
      const written = await writeWaveletDataset(path, volume, method, tolerance, format);
      expect(written.chunks).to.equal(3 * 2 * 2);
      const ours = await readWithRxvds(path);
      respellNormalizeBlockForOpenVds(path);
      const theirs = readWithOpenVds(path);
      expect(compare(theirs, ours).differing).to.equal(0);
      const input = Float32Array.from(storedSamples(volume, format));
      const { maxError, differing } = compare(theirs, input);
      if (method === M.WaveletLossless || method === M.WaveletNormalizeBlockLossless) expect(differing).to.equal(0);
      else expect(maxError).to.be.at.most(format === F.Format_R32 ? tolerance * unit : Math.floor(tolerance * unitOf(format)));
    });
  }

  for (const [format, method, noValue] of [[F.Format_R32, M.Wavelet, -999.25], [F.Format_R32, M.WaveletLossless, -999.25], [F.Format_U8, M.Wavelet, 255], [F.Format_U16, M.WaveletLossless, 65535]] as const) {
    it(`${F[format]} ${M[method]} with no-values (the no-value mask block): OpenVDS reads the holes and the rest like rxvds`, async () => {
      const path = inFolder(`${F[format]}-${M[method]}-novalue`);
      await writeWaveletDataset(path, volume, method, 1, format, noValue);
      const ours = await readWithRxvds(path);
      const theirs = readWithOpenVds(path);
      expect(compare(theirs, ours).differing).to.equal(0);
      const input = storedSamples(volume, format);
      const marker = Math.fround(noValue);
      let holes = 0, worst = 0;
      for (let i = 0; i < input.length; i++) {
        if (isHole(i)) { holes++; expect(theirs[i]).to.equal(marker); continue; }
        worst = Math.max(worst, Math.abs(theirs[i]! - input[i]!));
      }
      expect(holes).to.be.above(2000);
      const lossless = method === M.WaveletLossless;
      expect(worst).to.be.at.most(lossless ? 0 : format === F.Format_R32 ? unit : Math.floor(unitOf(format)));
    });
  }

  it('adaptive reads (openWithAdaptiveCompressionTolerance): OpenVDS and rxvds read the same prefixes to the same coarser data', async () => {
    const path = inFolder('adaptive');
    await writeWaveletDataset(path, volume, M.Wavelet, 0.5);
    let previous = 0;
    for (const wanted of [2, 8]) {
      const theirs = readWithOpenVds(path, wanted);
      expect(compare(theirs, await readWithRxvds(path, wanted)).differing).to.equal(0);
      const { maxError } = compare(theirs, volume);
      expect(maxError).to.be.above(previous);
      expect(maxError).to.be.at.most(wanted * unit * 2);
      previous = maxError;
    }
  });
});
