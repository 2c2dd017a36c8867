// POST /datasets/{id}/fence, …/samples and …/attributes: float32 bodies with their shape in X-Shape.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ServeContext } from '../context.js';
import { disconnectSignal } from '../eventStream.js';
import { attributes, fence, samples, type Sampling } from '../points.js';
import { type AttributesBody, attributesBody, type FenceBody, fenceBody, idParams, type SamplesBody, samplesBody } from '../schemas.js';
import { f32Bytes } from '../slice.js';

type Route<B> = { Params: { id: string }; Body: B };

function sampling(body: FenceBody | SamplesBody | AttributesBody): Sampling {
  return { system: body.coordinateSystem, interpolation: body.interpolation, channel: body.channel, fillValue: body.fillValue };
}

function sendF32(reply: FastifyReply, result: { shape: number[]; data: Float32Array }, headers: Record<string, string> = {}): FastifyReply {
  return reply.type('application/octet-stream').headers({ 'X-Shape': JSON.stringify(result.shape), ...headers }).send(f32Bytes(result.data));
}

export function pointRoutes(app: FastifyInstance, context: ServeContext): void {
  app.post<Route<FenceBody>>('/datasets/:id/fence', { schema: { params: idParams, body: fenceBody } }, async (request, reply) => {
    const dataset = await context.dataset(request.params.id);
    const result = await fence(dataset, request.body.coordinates, sampling(request.body), context.limits, disconnectSignal(reply.raw));
    const axis = dataset.geometry.verticalAxis;
    return sendF32(reply, result, { 'X-Axes': JSON.stringify([{ name: 'Trace', unit: '', min: 0, max: result.shape[0] - 1, samples: result.shape[0], step: 1 },
      { name: axis.name, unit: axis.unit, min: axis.min, max: axis.max, samples: axis.samples, step: axis.step }]) });
  });

  app.post<Route<SamplesBody>>('/datasets/:id/samples', { schema: { params: idParams, body: samplesBody } }, async (request, reply) => {
    const dataset = await context.dataset(request.params.id);
    return sendF32(reply, await samples(dataset, request.body.points, sampling(request.body), context.limits, disconnectSignal(reply.raw)));
  });

  app.post<Route<AttributesBody>>('/datasets/:id/attributes', { schema: { params: idParams, body: attributesBody } }, async (request, reply) => {
    const dataset = await context.dataset(request.params.id);
    const { coordinates, horizon, above, below, attributes: names } = request.body;
    const result = await attributes(dataset, coordinates, { horizon, above, below }, names, sampling(request.body), context.limits, disconnectSignal(reply.raw));
    return sendF32(reply, result, { 'X-Attributes': JSON.stringify(names) });
  });
}
