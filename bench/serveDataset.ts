// The serve bench's ≥ 1 GiB Zip dataset with 2 LODs (as a served dataset has, for coarse previews):
// a synthetic survey written once into a cache folder outside the repository (os.tmpdir() unless
// --data names one) and reused by later runs. It is written under a `.partial` name and renamed
// when complete, so an interrupted run never leaves a half dataset a later run would take for whole.
import { rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vds from '../src/index.js';
import { SyntheticSurvey, writeSyntheticSurvey } from '../bin/lib/syntheticSurvey.js';

/** Samples × crosslines × inlines: 1.125 GiB of float32 voxels, about 1.06 GiB of Zip chunks (the noise barely compresses). */
export const BIG_SURVEY = [1024, 512, 576] as const;

export function defaultDataFolder(): string {
  return join(tmpdir(), 'rxvds-bench');
}

/** The dataset's folder under `dataFolder`, written first if it is not there yet. */
export async function ensureSurveyDataset(dataFolder: string, [samples, crosslines, inlines]: readonly number[] = BIG_SURVEY,
  onProgress?: (fraction: number) => void): Promise<string> {
  const url = join(dataFolder, `survey-zip-lod2-${samples}x${crosslines}x${inlines}`);
  if (await stat(url).then(() => true, () => false)) return url;
  const partial = `${url}.partial`;
  await rm(partial, { recursive: true, force: true });
  await writeSyntheticSurvey(partial, new SyntheticSurvey(samples!, crosslines!, inlines!), vds.CompressionMethod.Zip, onProgress,
    vds.LODLevels.LODLevels_2);
  await rename(partial, url);
  return url;
}
