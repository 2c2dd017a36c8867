// Randomized round trips: LOD 0 page writes with LOD generation (some chunks never written), then
// subset reads of every LOD compared with the independent model of spec/support/lodModel.ts, over
// formats × codecs × bricks × margins × LOD levels × 2D/3D/4D × no-value on/off. Exact equality:
// LOD generation only picks voxels, so every format must come back bit for bit.
import { expect } from 'chai';
import { FORMATS, METHODS, randomBox, randomLODCase } from './support/lodCases.js';
import type { Value } from './support/lodModel.js';
import { readNDSubset, writeNDVolume } from './support/lodVolumes.js';
import { seededRandom } from './support/random.js';
const CASES = 60;
const SEED = 20261207;

/** Index, expected and actual of the first difference, and how many differ; undefined if equal. */
function firstDifference(actual: readonly Value[], expected: readonly Value[]): string | undefined {
  if (actual.length !== expected.length) return `${actual.length} values, expected ${expected.length}`;
  let count = 0, first = -1;
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) { count++; if (first < 0) first = i; }
  }
  return count ? `${count} of ${expected.length} differ, first at ${first}: ${actual[first]} instead of ${expected[first]}` : undefined;
}

describe('LOD round trips against an independent decimation model (randomized)', function () {
  this.timeout(120_000);

  it(`${CASES} seeded cases: page writes with LOD generation read back equal at every LOD, whole volume and a random box`, async () => {
    const random = seededRandom(SEED);
    const failures: string[] = [];
    const seen = new Set<string>();
    for (let n = 0; n < CASES; n++) {
      const { spec, model, label } = randomLODCase(random, n);
      let skipped = 0;
      const url = await writeNDVolume(spec, (min) => {
        const written = model.volume.written(min.map((x, d) => model.chunkOf(0, d, x)));
        if (!written) skipped++;
        return written;
      }, model.volume.value);
      for (const feature of [`format ${spec.format}`, `method ${spec.method}`, `brick ${spec.brickSize}`, `margin ${spec.margin}`,
        `${spec.size.length}D`, `LODs ${spec.lodLevels}`, `no-value ${spec.noValue !== undefined}`, `unwritten ${skipped > 0}`,
        `${spec.size.length}D LODs ${spec.lodLevels} unwritten ${skipped > 0}`]) seen.add(feature);
      for (let lod = 0; lod <= spec.lodLevels; lod++) {
        for (const [min, max] of [[spec.size.map(() => 0), [...spec.size]], randomBox(random, spec.size)]) {
          const actual = await readNDSubset(url, spec, lod, min, max);
          const difference = firstDifference(actual, model.subset(lod, min, max));
          if (difference) failures.push(`${label}, LOD ${lod} [${min}]…[${max}]: ${difference}`);
        }
      }
    }
    expect(failures, failures.slice(0, 10).join('\n')).to.deep.equal([]);
    // The seed must exercise the whole matrix.
    const expected = [
      ...FORMATS.map((f) => `format ${f}`), ...METHODS.map((m) => `method ${m}`), 'brick 5', 'brick 6', 'margin 0', 'margin 4',
      ...[2, 3, 4].flatMap((d) => [`${d}D`, ...[1, 2].map((lods) => `${d}D LODs ${lods} unwritten true`)]),
      'LODs 0', 'LODs 1', 'LODs 2', 'no-value true', 'no-value false', 'unwritten true', 'unwritten false',
    ];
    expect(expected.filter((feature) => !seen.has(feature))).to.deep.equal([]);
  });
});
