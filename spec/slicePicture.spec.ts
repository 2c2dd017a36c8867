// Slice pictures: PNG structure and size, colour maps against their published anchor colours, the
// colour bar, clip/percentile/gain, 4D refusal, and `rxvds slice --inline` on F3.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import * as vds from '../src/index.js';
import { buildCli, rxvds } from './support/cli.js';
import { decodePNG } from './support/png.js';
import { segyFile } from './support/testdata.js';
import { useTempFolder } from './support/tempFolder.js';

const hex = (h: string): number[] => [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));

/** A 3 (Sample, down) × 4 (Crossline, across) slice of one inline: row r holds `rows[r]`. */
function shaped(rows: number[][]): vds.ShapedSubset {
  const [down, across] = [rows.length, rows[0]!.length];
  const data = new Float32Array(down * across);
  rows.forEach((row, r) => row.forEach((v, c) => { data[r + c * down] = v; }));
  return {
    data, shape: [down, across, 1], strides: [1, down, down * across],
    axes: [
      { name: 'Sample', unit: 'ms', dimension: 0, count: down, start: 100, step: 4 },
      { name: 'Crossline', unit: 'unitless', dimension: 1, count: across, start: 10, step: 1 },
      { name: 'Inline', unit: 'unitless', dimension: 2, count: 1, start: 7, step: 1 },
    ],
  };
}

/** The picture pixel at the centre of data cell (row, column), with nearest resampling. */
function cellPixel(picture: vds.SlicePicture, decoded: ReturnType<typeof decodePNG>, rows: number, cols: number, row: number, col: number): number[] {
  const { plot } = picture;
  return decoded.pixel(plot.x + Math.floor(((col + 0.5) * plot.width) / cols), plot.y + Math.floor(((row + 0.5) * plot.height) / rows));
}

describe('slice pictures', () => {
  const values = [[-100, 0, 100, 50], [25, -50, 0, 0], [0, 0, 0, 0]];
  // Expected colours at t = 0, 0.5, 1, 0.75, from each map's anchors (viridis: its published nine-step sampling).
  const expected: Record<vds.ColorMapName, number[][]> = {
    seismic: [[0, 0, 180], [255, 255, 255], [180, 0, 0], [218, 128, 128]],
    grey: [[0, 0, 0], [128, 128, 128], [255, 255, 255], [191, 191, 191]],
    viridis: [hex('440154'), hex('21908C'), hex('FDE725'), hex('5DC863')],
  };

  for (const colorMap of vds.colorMapNames) {
    it(`maps known values to the ${colorMap} colours, with the colour bar running from high to low`, () => {
      const slice = shaped(values);
      const picture = vds.renderSlice(slice, { colorMap, clip: 100, resampling: 'nearest', width: 300, height: 200 });
      const decoded = decodePNG(vds.encodePNG(picture));
      expect([decoded.width, decoded.height]).to.deep.equal([300, 200]);
      [0, 1, 2, 3].forEach((col, k) => {
        expect(cellPixel(picture, decoded, 3, 4, 0, col), `value ${values[0]![col]}`).to.deep.equal(expected[colorMap][k]);
      });
      const { colorBar } = picture;
      const mid = colorBar.x + (colorBar.width >> 1);
      expect(decoded.pixel(mid, colorBar.y)).to.deep.equal(expected[colorMap][2]);
      expect(decoded.pixel(mid, colorBar.y + colorBar.height - 1)).to.deep.equal(expected[colorMap][0]);
      expect(colorBar.x).to.be.greaterThan(picture.plot.x + picture.plot.width);
    });
  }

  it('draws tick labels and axis names in ink around the plot', () => {
    const picture = vds.renderSlice(shaped(values), { width: 300, height: 200, title: 'F3 Inline 7' });
    const inkIn = (x0: number, y0: number, x1: number, y1: number) => {
      let n = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (picture.rgb[3 * (x + y * picture.width)] === 32) n++;
      return n;
    };
    expect(inkIn(0, 0, picture.width, picture.plot.y - 1), 'title, axis names and crossline ticks').to.be.greaterThan(100);
    expect(inkIn(0, picture.plot.y, picture.plot.x - 1, picture.plot.y + picture.plot.height), 'sample ticks').to.be.greaterThan(50);
    expect(inkIn(picture.colorBar.x + picture.colorBar.width + 1, 0, picture.width, picture.height), 'colour bar values').to.be.greaterThan(50);
  });

  it('takes the display range from clip, percentile and gain', () => {
    const picture = (options: vds.SlicePictureOptions) => {
      const p = vds.renderSlice(shaped(values), { colorMap: 'grey', resampling: 'nearest', width: 300, height: 200, ...options });
      return cellPixel(p, decodePNG(vds.encodePNG(p)), 3, 4, 0, 3)[0]; // the value 50
    };
    expect(picture({ clip: 200 })).to.equal(159); // t = 0.625
    expect(picture({ clip: [0, 100] })).to.equal(128); // t = 0.5
    expect(picture({ clip: 100, gain: 2 })).to.equal(255); // 50 × 2 reaches the top
    expect(picture({ clip: 200, gain: 4 })).to.equal(255);
    expect(picture({ clip: 100, gain: 0.5 })).to.equal(159);
    const symmetric = Array.from({ length: 201 }, (_, i) => i - 100);
    expect(vds.displayRange(symmetric)).to.deep.equal([-99, 99]);
    expect(vds.displayRange(symmetric, { percentile: 50 })).to.deep.equal([-50, 50]);
    expect(vds.displayRange(Array.from({ length: 101 }, (_, i) => i))).to.deep.equal([1, 99]);
    expect(() => vds.displayRange(symmetric, { clip: 1, percentile: 99 })).to.throw(vds.InvalidArgumentError, 'not both');
    expect(() => vds.displayRange(symmetric, { percentile: 0 })).to.throw(vds.InvalidArgumentError, 'percentile must be in (0, 100]');
    expect(() => vds.displayRange(symmetric, { clip: [5, 5] })).to.throw(vds.InvalidArgumentError, 'low < high');
  });

  it('scales to the requested size, keeping a readable default height', () => {
    const tall = shaped(Array.from({ length: 75 }, (_, r) => Array.from({ length: 18 }, (_, c) => r - c)));
    const picture = vds.renderSlice(tall, { width: 560 });
    expect(picture.width).to.equal(560);
    expect(picture.plot.height).to.equal(picture.plot.width); // 75 × 18 samples: capped at a square plot
    const wide = vds.renderSlice(shaped([[1, 2, 3, 4], [4, 3, 2, 1]]), { width: 400 });
    expect(wide.plot.height).to.equal(Math.round(wide.plot.width / 2));
    expect(() => vds.renderSlice(tall, { width: 40 })).to.throw(vds.InvalidArgumentError, 'leaves no room for the plot');
  });

  it('refuses a subset that is not a 2D slice, or bad options', () => {
    const cube: vds.ShapedSubset = {
      data: new Float32Array(10 * 2 * 3), shape: [10, 2, 3, 1], strides: [1, 10, 20, 60],
      axes: [
        { name: 'Sample', unit: 'ms', dimension: 0, count: 10, start: 0, step: 4 },
        { name: 'Trace (offset)', unit: 'unitless', dimension: 1, count: 2, start: 1, step: 1 },
        { name: 'Crossline', unit: 'unitless', dimension: 2, count: 3, start: 1, step: 1 },
        { name: 'Inline', unit: 'unitless', dimension: 3, count: 1, start: 1, step: 1 },
      ],
    };
    expect(() => vds.renderSlice(cube)).to.throw(vds.InvalidArgumentError,
      'a picture needs exactly two axes with more than one sample; this subset spans Sample ×10, Trace (offset) ×2, Crossline ×3: choose one value for all but two of them');
    const trace = { ...cube, shape: [10, 1, 1, 1], axes: cube.axes.map((a, n) => (n ? { ...a, count: 1 } : a)) };
    expect(() => vds.renderSlice(trace)).to.throw(vds.InvalidArgumentError, 'this subset spans Sample ×10');
    expect(() => vds.renderSlice(shaped(values), { colorMap: 'jet' as vds.ColorMapName })).to.throw(vds.InvalidArgumentError, 'unknown colour map "jet"');
    expect(() => vds.renderSlice(shaped(values), { gain: 0 })).to.throw(vds.InvalidArgumentError, 'gain must be a positive number');
  });

  describe('rxvds slice', function () {
    this.timeout(120_000);
    const inFolder = useTempFolder('slice');
    // The compiled CLI, run from the temporary folder as a user would.
    const cli = (args: string[]) => rxvds(['slice', ...args], inFolder());

    before(async () => {
      await Promise.all([buildCli(), vds.segy.importSegy(segyFile('f3.sgy'), inFolder('f3'), { lodLevels: vds.LODLevels.LODLevels_None }),
        vds.segy.importSegy(segyFile('small-ps.sgy'), inFolder('ps'), { prestack: true, lodLevels: vds.LODLevels.LODLevels_None })]);
    });

    it('--inline 120 writes an annotated PNG of that inline', async () => {
      const out = inFolder('inline.png');
      const { code, stdout, stderr } = await cli(['f3', '--inline', '120', '--width', '480', '--colormap', 'grey', '--clip', '3000', '--out', 'inline.png']);
      expect(code, stderr).to.equal(0);
      expect(stdout).to.contain('1350 samples').and.to.contain('Inline 120');
      const decoded = decodePNG(new Uint8Array(readFileSync(out)));
      expect(decoded.width).to.equal(480);
      // The same inline drawn by the library, as the CLI should have drawn it.
      const dataset = await vds.open(inFolder('f3'), '');
      try {
        const request = vds.requestShapedSubset(dataset, vds.annotationSlice(vds.getLayout(dataset), { inline: 120 }));
        expect(await request.waitForCompletion()).to.equal(true);
        const library = vds.encodePNG(vds.renderSlice(request.data, { width: 480, colorMap: 'grey', clip: 3000, title: 'Inline 120', valueLabel: 'Amplitude' }));
        expect(Buffer.from(readFileSync(out)).equals(Buffer.from(library))).to.equal(true);
      } finally {
        await vds.close(dataset, false);
      }
    });

    it('on 4D data, asks for the fourth coordinate instead of drawing a wrong picture', async () => {
      const refused = await cli(['ps', '--inline', '1', '--out', 'ps.png']);
      expect(refused.code).to.equal(2);
      expect(refused.stderr).to.contain('this subset spans Sample ×10, Trace (offset) ×2, Crossline ×3').and.to.contain('--at AXIS=VALUE');
      const chosen = await cli(['ps', '--inline', '1', '--at', 'offset=2', '--out', 'ps.png', '--width', '200']);
      expect(chosen.code, chosen.stderr).to.equal(0);
      expect(chosen.stdout).to.contain('30 samples').and.to.contain('Trace (offset) 2, Inline 1');
      expect(decodePNG(new Uint8Array(readFileSync(inFolder('ps.png')))).width).to.equal(200);
    });

    it('quotes the valid range for an inline outside the survey (exit code 1)', async () => {
      const failure = await cli(['f3', '--inline', '5000', '--out', 'x.png']);
      expect(failure.code).to.equal(1);
      expect(failure.stderr.trim()).to.equal('rxvds: Inline 5000 is outside 111..133 (step 1)');
    });
  });
});
