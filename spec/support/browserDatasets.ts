// The folder datasets the browser spec serves: one per chunk codec the browser must decode.
import * as vds from '../../src/index.js';
import { SyntheticSurvey, writeSyntheticSurvey } from '../../bin/lib/syntheticSurvey.js';
import { vdsFileDatasetAt } from '../../sources/dataset/vdsFileDataset.js';
import { openvdsVector } from './testdata.js';
import { writeTestVolume } from './volumes.js';

export type BrowserDatasetName = 'zip' | 'rle' | 'wavelet';

/** The Zip survey: 192 × 128 × 128 R32 in 64³ bricks, 3 × 2 × 2 = 12 chunks. */
export const ZIP_SIZE = [192, 128, 128] as const;
export const ZIP_CHUNKS = 12;

/**
 * Writes the three datasets into folders `folder(name)`: `zip` (a synthetic survey), `rle` (a
 * U16 volume of constant runs, 32³ bricks, 8 chunks) and `wavelet` (OpenVDS's own `subset.vds`
 * copied to a folder: a 100³ wavelet amplitude with LODs 1 and 2, and RLE and Zip trace channels).
 */
export async function writeBrowserDatasets(folder: (name: BrowserDatasetName) => string): Promise<void> {
  await writeSyntheticSurvey(folder('zip'), new SyntheticSurvey(...ZIP_SIZE), vds.CompressionMethod.Zip);
  await writeTestVolume({
    url: folder('rle'), size: [64, 48, 40], format: vds.VolumeDataFormat.Format_U16, method: vds.CompressionMethod.RLE,
    valueRange: [0, 1000], value: (x, y, z) => (Math.floor(x / 9) * 37 + Math.floor(y / 5) * 11 + z * 3) % 1000,
  });
  await vds.copyDataset(vdsFileDatasetAt(openvdsVector('subset.vds')), new vds.FolderStore(folder('wavelet')));
}
