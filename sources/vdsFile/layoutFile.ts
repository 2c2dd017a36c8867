// The layout of a `.vds` dataset: the 'JSON' file `VolumeDataLayout` (chunk 0 holds the text), or in
// files written before it existed the 'OBJ ' file `VDSObject`, translated. OpenVDS reads the JSON
// file whenever there is one, and writes only that.
import { errorMessage } from '../../src/model/errors.js';
import type { BulkDataStore, ContainerFile } from './bulkDataStore.js';
import { VdsFileError } from './errors.js';
import { FileType } from './fileTable.js';
import { vdsObjectToLayoutJson } from './vdsObjectLayout.js';

const LAYOUT_FILE = 'VolumeDataLayout';
const LEGACY_LAYOUT_FILE = 'VDSObject';

/** The layout JSON text, or undefined when the container holds no layout (no dataset). */
export async function readLayoutJson(container: BulkDataStore): Promise<string | undefined> {
  const json = container.file(LAYOUT_FILE);
  if (json?.header.fileType === FileType.JSONObject) return readText(container, json);
  const legacy = container.file(LEGACY_LAYOUT_FILE);
  if (legacy?.header.fileType !== FileType.HueObject) return undefined;
  const text = await readText(container, legacy);
  try {
    return vdsObjectToLayoutJson(text);
  } catch (error) {
    throw new VdsFileError(container.path, `its ${LEGACY_LAYOUT_FILE} cannot be read: ${errorMessage(error)}`);
  }
}

/** Writes the layout file and commits it (OpenVDS's WriteSerializedVolumeDataLayout). */
export async function writeLayoutJson(container: BulkDataStore, json: string): Promise<void> {
  const file = container.addFile({
    name: LAYOUT_FILE, fileType: FileType.JSONObject, chunkCount: 1, indexPageEntryCount: 1, chunkMetadataLength: 0, fileMetadataLength: 0,
  });
  const data = new TextEncoder().encode(json);
  const offset = data.length > 0 ? await container.appendData(data, LAYOUT_FILE) : 0;
  await container.writeIndexEntry(file, 0, { offset, length: data.length, metadata: new Uint8Array(0) });
  await container.commit([file]);
}

async function readText(container: BulkDataStore, file: ContainerFile): Promise<string> {
  if (file.chunkCount < 1) throw new VdsFileError(container.path, `file "${file.name}" has no chunk`);
  const entry = await container.readIndexEntry(file, 0);
  const bytes = await container.readData(entry, `file "${file.name}"`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new VdsFileError(container.path, `file "${file.name}" is not UTF-8 text`);
  }
}
