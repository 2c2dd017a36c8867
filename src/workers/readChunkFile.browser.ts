// readChunkFile.ts for browser bundles (package.json "browser"): no dataset there names a local
// file, so a job never carries one; should one, the main thread reads the chunk after all.
import type { FileExtent } from '../engine/datasetStore.js';
import type { PartToRead } from '../codecs/codec.js';

export function readChunkFile(_file: FileExtent, _part?: PartToRead): Uint8Array | undefined {
  return undefined;
}

export function releaseChunkFileBuffer(_buffer: ArrayBufferLike): void {}
