// POST /datasets/{id}/fence, …/samples and …/attributes: float32 bodies with their shape in X-Shape,
// or streamed (SSE / NDJSON): progress, then one event with the shape and the base64 float32 data, then end.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServeContext } from '../context.js';
import { disconnectSignal, EventStream, streamFormat } from '../eventStream.js';
import { attributes, fence, type PreparedPoints, samples, type Sampling } from '../points.js';
import { type AttributesBody, attributesBody, type FenceBody, fenceBody, idParams, type SamplesBody, samplesBody } from '../schemas.js';
import { f32Bytes } from '../slice.js';

type Route<B> = { Params: { id: string }; Body: B };

function sampling(body: FenceBody | SamplesBody | AttributesBody): Sampling {
  return { system: body.coordinateSystem, interpolation: body.interpolation, channel: body.channel, fillValue: body.fillValue };
}

/** What describes a result besides its shape: sent as `X-Axes`/`X-Attributes` headers, or as members of the result event. */
interface ResultInfo {
  axes?: object[];
  attributes?: string[];
}

/** Runs a checked request: at once as float32 with its headers, or as an event stream whose result event is `name`. */
async function answer(context: ServeContext, request: FastifyRequest, reply: FastifyReply, name: 'fence' | 'samples' | 'attributes',
  prepared: PreparedPoints, info: ResultInfo): Promise<FastifyReply> {
  const format = streamFormat(request);
  if (!format) {
    const data = await prepared.run({ signal: disconnectSignal(reply.raw) });
    const headers = Object.fromEntries(Object.entries({ shape: prepared.shape, ...info }).map(([key, value]) => [`X-${key[0]!.toUpperCase()}${key.slice(1)}`, JSON.stringify(value)]));
    return reply.type('application/octet-stream').headers(headers).send(f32Bytes(data));
  }
  const stream = new EventStream(reply, format);
  try {
    const data = await prepared.run({ signal: stream.signal, progress: (done, total) => void stream.send('progress', { done, total }) });
    await stream.send(name, { shape: prepared.shape, ...info, data: f32Bytes(data).toString('base64') });
    await stream.send('end', {});
  } catch (error) {
    await stream.send('error', { message: context.failure(error).message });
  } finally {
    stream.end();
  }
  return reply;
}

export function pointRoutes(app: FastifyInstance, context: ServeContext): void {
  app.post<Route<FenceBody>>('/datasets/:id/fence', { schema: { params: idParams, body: fenceBody } }, async (request, reply) => {
    const dataset = await context.dataset(request.params.id);
    const prepared = fence(dataset, request.body.coordinates, sampling(request.body), context.limits);
    const [points, samples] = prepared.shape as [number, number];
    const axis = dataset.geometry.verticalAxis;
    return answer(context, request, reply, 'fence', prepared, { axes: [
      { name: 'Trace', unit: '', min: 0, max: points - 1, samples: points, step: 1 },
      { name: axis.name, unit: axis.unit, min: axis.min, max: axis.max, samples, step: axis.step }] });
  });

  app.post<Route<SamplesBody>>('/datasets/:id/samples', { schema: { params: idParams, body: samplesBody } }, async (request, reply) => {
    const dataset = await context.dataset(request.params.id);
    return answer(context, request, reply, 'samples', samples(dataset, request.body.points, sampling(request.body), context.limits), {});
  });

  app.post<Route<AttributesBody>>('/datasets/:id/attributes', { schema: { params: idParams, body: attributesBody } }, async (request, reply) => {
    const dataset = await context.dataset(request.params.id);
    const { coordinates, horizon, above, below, attributes: names } = request.body;
    const prepared = attributes(dataset, coordinates, { horizon, above, below }, names, sampling(request.body), context.limits);
    return answer(context, request, reply, 'attributes', prepared, { attributes: names });
  });
}
