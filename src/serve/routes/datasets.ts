// GET /datasets and GET /datasets/{id}/metadata.
import type { FastifyInstance } from 'fastify';
import type { ServeContext } from '../context.js';
import { datasetMetadata } from '../metadata.js';
import { idParams } from '../schemas.js';

export function datasetRoutes(app: FastifyInstance, context: ServeContext): void {
  // Ids only: the URLs and connection strings behind them stay on the server.
  app.get('/datasets', async () => ({ datasets: context.registry.ids.map((id) => ({ id })) }));

  app.get<{ Params: { id: string } }>('/datasets/:id/metadata', { schema: { params: idParams } }, async (request) => {
    const { id, vds, geometry } = await context.dataset(request.params.id);
    return datasetMetadata(id, vds, geometry);
  });
}
