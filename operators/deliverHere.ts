// Uncompressed chunks in local files need no decoding: reading the span of the file a subset's box
// lies in and copying it costs less than handing the chunk to a worker (a message each way and a
// wake-up), and a cold pool takes ~50 ms to start. So a subset whose uncompressed local chunks are
// little work (HERE_BYTES, about 20 ms) is served on the calling thread, synchronously: a slice is
// done before a worker could have started. A larger one goes to the pool, whose workers copy in
// parallel; splitting one request between the two would leave its last chunks waiting for the pool.
import type { DecodeOptions } from '../src/model/block.js';
import { loadedCodec } from '../src/codecs/registry.js';
import type { FileExtent } from '../src/engine/datasetStore.js';
import { throughGate } from '../src/engine/deliveryGate.js';
import type { LayerReader } from '../src/engine/layerReader.js';
import { copyShare, type SubsetDelivery } from '../src/engine/subsetDestination.js';
import { chunkBox, type SubsetPlan } from '../src/engine/subsetPlan.js';
import { partOfBox } from '../src/codecs/codec.js';
import { convertBlock } from '../src/model/convert.js';
import type { VolumeDataFormat } from '../src/model/enums.js';
import { formatByteSize } from '../src/model/formats.js';
import { denseBoxExtent } from '../src/model/geometry/denseBox.js';
import { readChunkFile } from '../src/workers/readChunkFile.js';

/**
 * The most work a subset may do on the calling thread, in bytes copied into its buffer. A byte read
 * from a file counts a quarter: the kernel's copy from its cache runs about four times faster than a
 * first write into fresh memory (a crossline of 64³ chunks reads 64 of them almost whole to copy a
 * sixty-fourth of each).
 */
export const HERE_BYTES = 24 * 1024 * 1024;

/**
 * Whether the subset `plan` of `reader`'s layer, in `format`, is served on the calling thread: its
 * chunks lie in local files, its method's objects hold the samples in place (None) and need no
 * conversion, and the work is within HERE_BYTES. Constant chunks count as work too (an upper bound).
 */
export function servesHere(reader: LayerReader, plan: SubsetPlan, format: VolumeDataFormat, replacementNoValue: number | undefined): boolean {
  // Not chunkCodec: asking must not load the wavelet codecs on this thread.
  const codec = reader.dataset.localFiles === true ? loadedCodec(reader.compressionMethod) : undefined;
  const channel = reader.layer.channelDescriptor;
  if (!codec?.part) return false;
  if (format !== channel.format || replacementNoValue !== undefined) return false;
  const element = formatByteSize(format) * channel.components;
  let work = 0;
  for (const copy of plan.copies.values()) {
    const { elements, first, last } = denseBoxExtent(chunkBox(copy));
    work += element * ((last - first + 1) / 4 + elements);
    if (work > HERE_BYTES) return false;
  }
  return true;
}

/**
 * Reads the part of `file` that `deliver` needs and copies it into the request's buffer (see
 * servesHere); false when the file cannot give the whole object, for the pool's path to name the
 * problem. A malformed object throws as its decode would.
 */
export function deliverHere(reader: LayerReader, file: FileExtent, options: DecodeOptions, deliver: SubsetDelivery): boolean {
  const codec = loadedCodec(reader.compressionMethod);
  if (!codec?.part) return false;
  const chunk = readChunkFile(file, partOfBox(codec.part, options, chunkBox(deliver.copy)));
  if (!chunk) return false;
  const decoded = codec.decode(chunk, options);
  const block = decoded.converted ? decoded.bytes : convertBlock(decoded, options);
  throughGate(deliver.gate, () => copyShare(block, deliver));
  return true;
}
