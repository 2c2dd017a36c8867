// The fastify application: auth, the routes of each resource, and one error format for all of them.
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { bearerCheck } from './auth.js';
import type { ServeContext } from './context.js';
import { datasetRoutes } from './routes/datasets.js';
import { pointRoutes } from './routes/points.js';
import { sliceRoutes } from './routes/slice.js';
import { validationMessage } from './schemas.js';
import { registerViewer } from './viewer/registerViewer.js';

export function buildApp(context: ServeContext, token: string | undefined): FastifyInstance {
  const app = Fastify({
    logger: false,
    // close() ends streams under way too (their clients see the connection drop; their reads are canceled).
    forceCloseConnections: true,
    bodyLimit: context.limits.bodyBytes,
    // Unknown parameters are refused, not silently dropped (fastify's default removes them).
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  });
  if (token !== undefined) {
    const check = bearerCheck(token);
    // By the route matched, not the URL as sent: `/%64atasets` matches /datasets too.
    app.addHook('onRequest', async (request) => { if (request.routeOptions.url?.startsWith('/datasets')) check(request); });
  }
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error.validation) return reply.status(400).send({ error: validationMessage(error.validation, error.validationContext ?? 'request') });
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.status(413).send({ error: `body: over this server's limit of ${context.limits.bodyBytes} bytes` });
    // The body parser's refusals (not JSON, empty, another media type) are about the body.
    // (rxvds's errors carry a numeric `code`: the HTTP status of a store.)
    if (typeof error.code === 'string' && error.code.startsWith('FST_ERR_CTP_')) return reply.status(error.statusCode ?? 400).send({ error: `body: ${error.message}${error.statusCode === 415 ? ' (send application/json)' : ''}` });
    const { statusCode, message } = context.failure(error);
    if (statusCode === 401) void reply.header('WWW-Authenticate', 'Bearer');
    return reply.status(statusCode).send({ error: message });
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send({ error: `no route ${request.method} ${request.url.split('?')[0]}` }));
  app.get('/health', async () => ({ status: 'ok' }));
  datasetRoutes(app, context);
  sliceRoutes(app, context);
  pointRoutes(app, context);
  registerViewer(app);
  return app;
}
