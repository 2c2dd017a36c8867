// The compiled CLI, run from another folder as a user runs it, against what OpenVDS's SEGYImport and
// VDSInfo users type: SEGYImport's option names, SEG-Y read over HTTP, `info`'s text header and size,
// and progress on a stderr that is not a terminal (plain and JSON lines).
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { FolderStore } from '../sources/stores/folderStore.js';
import { buildCli, RXVDS, rxvds } from './support/cli.js';
import { startStaticServer, type RunningServer } from './support/servers.js';
import { useTempFolder } from './support/tempFolder.js';
import { segyFile } from './support/testdata.js';

const F3 = segyFile('f3.sgy');
const F3_SIZE = 165060;

interface JsonProgress { task: string; done: number; total: number; unit: string; percent: number; rate: number | null; eta: number | null }

function progressLines(stderr: string): JsonProgress[] {
  return stderr.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as JsonProgress);
}

function folderBytes(folder: string): { bytes: number; objects: number } {
  const files = readdirSync(folder, { recursive: true }).map((f) => join(folder, String(f))).filter((f) => statSync(f).isFile());
  return { bytes: files.reduce((sum, f) => sum + statSync(f).size, 0), objects: files.length };
}

describe('rxvds CLI: SEGYImport/VDSInfo options and progress', function () {
  this.timeout(120_000);
  const inFolder = useTempFolder('cli-parity');
  let cwd = '';

  before(async () => {
    await buildCli();
    cwd = inFolder('work');
    await mkdir(cwd);
  });

  describe('progress', () => {
    it('import-segy: a plain line by default, JSON lines with --progress json, nothing with --quiet', async () => {
      const plain = await rxvds(['import-segy', F3, 'p-plain'], cwd, { env: { RXVDS_PROGRESS: '' } });
      expect(plain.code, plain.stderr).to.equal(0);
      expect(plain.stderr).to.match(/^import-segy: 100% \(\d+\.\d MB\/s, \d+s elapsed, ETA 0s\)\n$/);

      const json = await rxvds(['import-segy', F3, '--url', 'p-json', '--progress', 'json'], cwd);
      expect(json.code, json.stderr).to.equal(0);
      const lines = progressLines(json.stderr);
      expect(lines.at(-1)).to.deep.include({ task: 'import-segy', done: F3_SIZE, total: F3_SIZE, unit: 'bytes', percent: 100, eta: 0 });

      const quiet = await rxvds(['import-segy', F3, 'p-quiet', '-q'], cwd, { env: { RXVDS_PROGRESS: 'plain' } });
      expect([quiet.code, quiet.stderr]).to.deep.equal([0, '']);
      expect(quiet.stdout).to.contain('414 traces');

      const bad = await rxvds(['import-segy', F3, 'p-bad', '--progress', 'fancy'], cwd);
      expect([bad.code, bad.stderr]).to.deep.equal([2, 'rxvds: --progress must be bar, plain, json, none; got "fancy"\n']);
      const env = await rxvds(['import-segy', F3, 'p-env'], cwd, { env: { RXVDS_PROGRESS: 'json' } });
      expect(progressLines(env.stderr).at(-1)).to.deep.include({ task: 'import-segy', percent: 100 });
    });

    it('on a terminal (a pseudo-terminal from `script`), a bar redrawn in place', async function () {
      if (!existsSync('/usr/bin/script')) this.skip();
      const env: NodeJS.ProcessEnv = { ...process.env, NODE_V8_COVERAGE: '', RXVDS_WORKERS: '1' };
      delete env.NODE_OPTIONS;
      delete env.RXVDS_PROGRESS;
      const command = `${process.execPath} ${RXVDS} import-segy ${F3} on-tty`;
      const { stdout } = await promisify(execFile)('/usr/bin/script', ['-qec', command, '/dev/null'], { cwd, env });
      expect(stdout).to.match(/^\rimport-segy \[#{30}\] 100% \d+\.\d MB\/s ETA 0s\x1b\[K/);
      expect(stdout).to.contain('\x1b[K\r\nimported ');
    });

    it('demo: JSON lines per acknowledged chunk, monotone, ending at 100 %', async () => {
      const demo = await rxvds(['demo', '--out', 'demo', '--size', '128', '--progress', 'json'], cwd);
      expect(demo.code, demo.stderr).to.equal(0);
      const write = progressLines(demo.stderr).filter((l) => l.task === 'write survey');
      // 128³ in 64³ bricks: 8 chunks, a line each (12.5 % apart).
      expect(write.map((l) => l.percent)).to.deep.equal([12.5, 25, 37.5, 50, 62.5, 75, 87.5, 100]);
      expect(write.every((l) => l.rate !== null && l.rate > 0)).to.equal(true);
      expect(write.map((l) => l.eta).at(-1)).to.equal(0);
    });
  });

  describe('import-segy with SEGYImport option names', () => {
    it('--url, -p/-s, -b, --header-format, --attribute-name/-unit, --crs-wkt land in the dataset', async () => {
      const format = join(cwd, 'f3-format.json');
      await writeFile(format, JSON.stringify({ InlineNumber: [189, 'FourByte'], CrosslineNumber: [193, 'FourByte'], Endianness: 'BigEndian' }));
      const wkt = 'PROJCS["ED50 / UTM zone 31N"]';
      const run = await rxvds(['import-segy', F3, '--url', 'named', '-p', 'inline', '-s', 'crossline', '-b', '32', '--header-format', format,
        '--attribute-name', 'Time', '--attribute-unit', 'ms', '--crs-wkt', wkt, '--compression-method', 'Zip', '-q'], cwd);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.contain('Poststack, Sample 75 × Crossline 18 × Inline 23, 414 traces');
      const info = JSON.parse((await rxvds(['info', '--url', 'named', '--json-output'], cwd)).stdout) as {
        compression: string; layoutDescriptor: { brickSize: number }; channels: { name: string; unit: string }[];
        metadata: { category: string; name: string; value: unknown }[];
      };
      expect(info.compression).to.equal('Zip');
      expect(info.layoutDescriptor.brickSize).to.equal(32);
      expect(info.channels[0]).to.deep.include({ name: 'Time', unit: 'ms' });
      // A format that swaps the two fields is obeyed: the 23 inline numbers (bytes 189-192) become the crosslines.
      await writeFile(join(cwd, 'swapped.json'), JSON.stringify({ InlineNumber: [193, 'FourByte'], CrosslineNumber: [189, 'FourByte'] }));
      const swapped = await rxvds(['import-segy', F3, 'swapped', '--header-format', 'swapped.json', '-p', 'crossline', '-s', 'inline'], cwd);
      expect(swapped.stdout).to.contain('Poststack, Sample 75 × Crossline 23 × Inline 18, 414 traces');
      expect(info.metadata.find((m) => m.name === 'CRSWkt')).to.deep.equal({ category: 'SurveyCoordinateSystem', name: 'CRSWkt', type: 'String', value: wkt });
    });

    it('--scan writes SEGYImport\'s file info; -i/--file-info imports from it without a scan, after checking it fits', async () => {
      const scanned = await rxvds(['import-segy', F3, '--scan'], cwd);
      expect(scanned.code, scanned.stderr).to.equal(0);
      const info = JSON.parse(scanned.stdout) as { segmentInfo: { primaryKey: number; traceStart: number; traceStop: number; binInfoStart: Record<string, number> }[] } & Record<string, unknown>;
      // As OpenVDS 3.4's SEGYImport --scan prints it for this file (but for the persistentID it draws).
      expect(info).to.deep.include({ headerEndianness: 'BigEndian', dataSampleFormatCode: 3, sampleCount: 75, startTime: 4, sampleInterval: 4,
        traceCount: 414, primaryKey: [189, 'FourByte'], secondaryKey: [193, 'FourByte'] });
      expect(info.persistentID).to.match(/^[0-9A-F]{16}$/);
      expect(info.segmentInfo).to.have.length(23);
      expect(info.segmentInfo[22]).to.deep.include({ primaryKey: 133, traceStart: 396, traceStop: 413 });
      expect(info.segmentInfo[0]!.binInfoStart).to.deep.equal({ inlineNumber: 111, crosslineNumber: 875, ensembleXCoordinate: 620197.2000000001, ensembleYCoordinate: 6074232.9 });

      const toFile = await rxvds(['import-segy', F3, '--scan', '-i', 'f3.scan.json', '--persistentID', 'abc'], cwd);
      expect([toFile.code, toFile.stdout]).to.deep.equal([0, '']);
      const written = JSON.parse(readFileSync(join(cwd, 'f3.scan.json'), 'utf8')) as typeof info;
      expect(written).to.deep.equal({ ...info, persistentID: 'ABC' });

      // The file info is what the import uses: without its last segment, inline 133 is left out.
      await writeFile(join(cwd, 'cut.scan.json'), JSON.stringify({ ...written, segmentInfo: written.segmentInfo.slice(0, 22) }));
      const cut = await rxvds(['import-segy', F3, '--file-info', 'cut.scan.json', 'from-scan', '-q'], cwd);
      expect(cut.code, cut.stderr).to.equal(0);
      expect(cut.stdout).to.contain('Poststack, Sample 75 × Crossline 18 × Inline 22, 396 traces');

      const other = await rxvds(['import-segy', segyFile('small.sgy'), '-i', 'f3.scan.json', 'wrong-scan'], cwd);
      expect([other.code, other.stderr]).to.deep.equal([1, 'rxvds: f3.scan.json does not describe small.sgy: dataSampleFormatCode is 3 in the scan, 1 for this import\n']);
      const keys = await rxvds(['import-segy', F3, '-i', 'f3.scan.json', '-p', 'crossline', 'wrong-keys'], cwd);
      expect(keys.stderr).to.equal('rxvds: f3.scan.json does not describe f3.sgy: primaryKey is [189,"FourByte"] in the scan, [193,"FourByte"] for this import\n');
    });

    it('--persistentID puts the dataset under URL/ID', async () => {
      const run = await rxvds(['import-segy', F3, '--url', 'cloud', '--persistentID', '1a2b3c4d', '-q'], cwd);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.contain('→ cloud/1A2B3C4D:');
      expect(readdirSync(join(cwd, 'cloud'))).to.deep.equal(['1A2B3C4D']);
    });

    it('refuses what it cannot do with a sentence naming the option', async () => {
      const cases: [string[], string][] = [
        [['--compression-method', 'Zip', '--tolerance', '0.5'], '--tolerance applies to the Wavelet compression methods only'],
        [['--compression-method', 'Wavelet', '--tolerance', '300'], '--tolerance must be a number from 0 to 255 (8-bit steps of the value range), got "300"'],
        [['--compression-method', 'LZ4'], '--compression-method must be None, RLE, Zip, Wavelet, WaveletLossless, WaveletNormalizeBlock or WaveletNormalizeBlockLossless, got "LZ4"'],
        [['--compression', 'Zip', '--compression-method', 'RLE'], '--compression-method and --compression are the same option; give one'],
        [['--persistentID', 'not-hex'], '--persistentID must be 1 to 16 hexadecimal digits, got "not-hex"'],
        [['--sample-unit', 'km'], '--sample-unit must be ms, m or ft, got "km"'],
      ];
      for (const [args, message] of cases) {
        const run = await rxvds(['import-segy', F3, 'refused', ...args], cwd);
        expect([run.code, run.stderr], args.join(' ')).to.deep.equal([2, `rxvds: ${message}\n`]);
      }
      await writeFile(join(cwd, 'bad-format.json'), JSON.stringify({ inline: [239, 'FourByte'] }));
      const outside = await rxvds(['import-segy', F3, 'refused', '--header-format', 'bad-format.json'], cwd);
      expect(outside.stderr).to.equal('rxvds: --header-format bad-format.json: "inline" at byte 239 (4 bytes) lies outside the 240-byte trace header\n');
      expect(readdirSync(cwd)).not.to.include('refused');
    });

    it('reads the SEG-Y file from an https/http URL by ranged reads', async () => {
      const server: RunningServer = await startStaticServer(new FolderStore(dirname(F3)), { basePath: '/segy' });
      try {
        const run = await rxvds(['import-segy', `${server.url}/segy/f3.sgy`, 'over-http', '-q'], cwd);
        expect(run.code, run.stderr).to.equal(0);
        expect(run.stdout).to.contain(`imported ${server.url}/segy/f3.sgy → over-http: Poststack, Sample 75 × Crossline 18 × Inline 23, 414 traces`);
        const back = await rxvds(['export-segy', 'over-http', 'over-http.sgy', '-q'], cwd);
        expect(back.code, back.stderr).to.equal(0);
        expect(Buffer.compare(readFileSync(join(cwd, 'over-http.sgy')), readFileSync(F3))).to.equal(0);
        const missing = await rxvds(['import-segy', `${server.url}/segy/nope.sgy`, 'nope', '-q'], cwd);
        expect([missing.code, missing.stderr]).to.deep.equal([1, `rxvds: cannot open SEG-Y file ${server.url}/segy/nope.sgy: no such object\n`]);
      } finally {
        await server.stop();
      }
    });
  });

  describe('info', () => {
    it('prints size on disk, compression, annotation ranges with steps and the decoded EBCDIC text header', async () => {
      const run = await rxvds(['info', 'p-plain'], cwd);
      expect(run.code, run.stderr).to.equal(0);
      const { bytes, objects } = folderBytes(join(cwd, 'p-plain'));
      const lines = run.stdout.split('\n');
      expect(lines.slice(0, 2)).to.deep.equal(['Dataset p-plain', `  ${bytes.toLocaleString('en-US')} bytes (${(bytes / 1e6).toFixed(2)} MB) in ${objects} objects, compression None`]);
      expect(run.stdout).to.contain('  0: Sample          75 samples  4 … 300 step 4 ms\n  1: Crossline       18 samples  875 … 892 step 1 unitless\n' +
        '  2: Inline          23 samples  111 … 133 step 1 unitless\n');
      expect(run.stdout).to.contain('  Dimensions_012LOD0                   Normal            2 chunks (2 written)  None\n');
      const text = lines.indexOf('SEG-Y textual header (EBCDIC):');
      expect(lines.slice(text + 1, text + 3)).to.deep.equal(['  C 1 Cropped F3 2-byte integer data set',
        '  C 2 This file is a cropped copy of the F3 block in the Dutch North Sea']);
      expect(lines[text + 40]).to.equal('  C40');
    });

    it('--json has every section; VDSInfo section flags select some', async () => {
      const all = JSON.parse((await rxvds(['info', 'p-plain', '--json'], cwd)).stdout) as Record<string, unknown> & {
        sizeOnDisk: { bytes: number }; textHeader: { encoding: string; lines: string[] } };
      expect(Object.keys(all)).to.deep.equal(['url', 'compression', 'sizeOnDisk', 'layoutDescriptor', 'layers', 'axes', 'channels', 'textHeader', 'metadata']);
      expect(all.sizeOnDisk.bytes).to.equal(folderBytes(join(cwd, 'p-plain')).bytes);
      expect(all.textHeader.encoding).to.equal('EBCDIC');
      expect(all.textHeader.lines).to.have.length(40);
      const axes = JSON.parse((await rxvds(['info', 'p-plain', '--json', '--axis'], cwd)).stdout) as Record<string, unknown>;
      expect(Object.keys(axes)).to.deep.equal(['url', 'compression', 'sizeOnDisk', 'axes']);
      const text = await rxvds(['info', 'p-plain', '--channels'], cwd);
      expect(text.stdout).to.contain('Channels:').and.not.contain('Axes:').and.not.contain('Layers:');
    });
  });
});
