// A temporary folder per `describe`, removed afterwards.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Registers before/after hooks; the returned function gives paths inside the folder. */
export function useTempFolder(prefix: string): (...names: string[]) => string {
  let folder = '';
  before(async () => { folder = await mkdtemp(join(tmpdir(), `rxvds-${prefix}-`)); });
  after(async () => { await rm(folder, { recursive: true, force: true }); });
  return (...names) => join(folder, ...names);
}
