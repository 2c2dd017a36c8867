// GET /datasets/{id}/slice (parameters in the query) and POST (the same in a JSON body, as
// vds-slice takes them): float32 or PNG at once, or streamed (SSE / NDJSON) with progress and a
// coarse LOD first.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { slicePNG } from '../../render/slicePicture.js';
import type { VDS } from '../../api/vds.js';
import type { ServeContext } from '../context.js';
import type { AxisInfo } from '../geometry.js';
import { badRequest } from '../httpErrors.js';
import { disconnectSignal, EventStream, streamFormat } from '../eventStream.js';
import { f32Bytes, readSlice, type Slice, sliceChunkCount, type SliceRead } from '../slice.js';
import { checkChannel, checkLod } from '../layerChecks.js';
import { readableLods } from '../metadata.js';
import { idParams, type SliceQuery, sliceQuery } from '../schemas.js';

export function sliceRoutes(app: FastifyInstance, context: ServeContext): void {
  app.get<{ Params: { id: string }; Querystring: SliceQuery }>('/datasets/:id/slice', { schema: { params: idParams, querystring: sliceQuery } },
    (request, reply) => answerSlice(context, request, reply, request.query));
  app.post<{ Params: { id: string }; Body: SliceQuery }>('/datasets/:id/slice', { schema: { params: idParams, body: sliceQuery } },
    (request, reply) => answerSlice(context, request, reply, request.body));
}

/** Parameters of the picture, which an f32 answer has no use for. */
const PICTURE_PARAMETERS = ['width', 'height', 'colormap', 'clip'] as const;

async function answerSlice(context: ServeContext, request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply,
  query: SliceQuery): Promise<FastifyReply> {
  const { vds, geometry } = await context.dataset(request.params.id);
  if (query.format !== 'png') {
    const pictureOnly = PICTURE_PARAMETERS.find((name) => query[name] !== undefined);
    if (pictureOnly) throw badRequest(pictureOnly, 'is a parameter of format=png');
  }
  const { box, dimension } = geometry.sliceBox(query.direction, query.lineno);
  checkLod(vds, query.lod);
  checkChannel(vds, query.channel);
  const read: SliceRead = { box, dimension, lod: query.lod, channel: query.channel };
  const format = streamFormat(request);
  if (format && query.format === 'png') throw badRequest('format', 'a stream carries float32 slices: ask format=f32 (or no Accept: text/event-stream) for a picture');
  if (format) {
    // The coarsest LOD first (a quick picture), then the LOD asked for.
    const coarsest = Math.max(...readableLods(vds));
    const reads = coarsest > read.lod ? [{ ...read, lod: coarsest }, read] : [read];
    await streamSlices(new EventStream(reply, format), vds, reads, context);
    return reply;
  }
  const slice = await readSlice(vds, read, disconnectSignal(reply.raw));
  if (query.format === 'png') {
    const layout = vds.layout;
    const unit = layout.getChannelUnit(query.channel);
    const png = slicePNG(slice.shaped, {
      width: query.width, height: query.height, colorMap: query.colormap, clip: query.clip,
      title: `${request.params.id}: ${sliceTitle(geometry.axes[dimension]!, box.min[dimension]!)}`,
      valueLabel: `${layout.getChannelName(query.channel)}${unit && unit !== 'unitless' ? ` (${unit})` : ''}`,
    });
    return reply.type('image/png').send(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
  }
  return reply.type('application/octet-stream').headers(sliceHeaders(slice)).send(f32Bytes(slice.data));
}

/** `Inline 120`, `Time 1200 ms`: the slice's fixed coordinate. */
function sliceTitle(axis: AxisInfo, index: number): string {
  const value = +(axis.min + index * axis.step).toPrecision(7);
  return `${axis.name} ${value}${axis.unit && axis.unit !== 'unitless' ? ` ${axis.unit}` : ''}`;
}

export function sliceHeaders(slice: Slice): Record<string, string> {
  return { 'X-Shape': JSON.stringify(slice.shape), 'X-Axes': JSON.stringify(slice.axes), 'X-Slice': JSON.stringify(slice.place), 'X-Lod': String(slice.lod) };
}

/**
 * The slice events: progress over the chunks of every read (monotone up to their total), a
 * `slice` per read as it completes, then `end`; or `error`. A disconnect aborts the stream's signal,
 * which cancels the read under way and skips the rest.
 */
async function streamSlices(stream: EventStream, vds: VDS, reads: SliceRead[], context: ServeContext): Promise<void> {
  try {
    const counts = reads.map((read) => sliceChunkCount(vds, read));
    const total = counts.reduce((a, b) => a + b, 0);
    let before = 0;
    await stream.send('progress', { done: 0, total });
    for (const [n, read] of reads.entries()) {
      const slice = await readSlice(vds, read, stream.signal, (done) => void stream.send('progress', { done: before + done, total }));
      before += counts[n]!;
      await stream.send('slice', { lod: slice.lod, shape: slice.shape, axes: slice.axes, slice: slice.place, data: f32Bytes(slice.data).toString('base64') });
    }
    await stream.send('end', {});
  } catch (error) {
    if (stream.open) await stream.send('error', { message: context.failure(error).message });
  } finally {
    stream.end();
  }
}
