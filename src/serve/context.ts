// What every route of one server shares: its datasets, their geometries, its limits and its log.
import type { VDS } from '../api/vds.js';
import { CanceledError, InvalidArgumentError, errorMessage } from '../model/errors.js';
import { HttpError } from './httpErrors.js';
import { SurveyGeometry } from './geometry.js';
import type { ServeLimits } from './options.js';
import type { DatasetRegistry } from './registry.js';

export interface OpenDataset {
  id: string;
  vds: VDS;
  geometry: SurveyGeometry;
}

export class ServeContext {
  private readonly geometries = new WeakMap<VDS, SurveyGeometry>();

  constructor(readonly registry: DatasetRegistry, readonly limits: ServeLimits, readonly log: (line: string) => void) {}

  /** The dataset of a route's `{id}`: 404 for an id the server was not given (ids never reach the file system). */
  async dataset(id: string): Promise<OpenDataset> {
    if (!this.registry.has(id)) throw new HttpError(404, `id: no dataset "${id}" on this server (GET /datasets lists them)`);
    const vds = await this.registry.get(id);
    let geometry = this.geometries.get(vds);
    if (!geometry) this.geometries.set(vds, geometry = new SurveyGeometry(vds.layout));
    return { id, vds, geometry };
  }

  /**
   * The status and message a failure is answered with: the request's fault (400…413) as it is, a
   * library's InvalidArgumentError as 400, anything else as 500, logged; every message scrubbed of
   * the configured credentials.
   */
  failure(error: unknown): { statusCode: number; message: string } {
    const status = (error as { statusCode?: unknown }).statusCode;
    const statusCode = error instanceof HttpError ? error.statusCode
      : error instanceof InvalidArgumentError ? 400
        : error instanceof CanceledError ? 499
          : typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
    const message = this.registry.scrub(errorMessage(error));
    if (statusCode >= 500) this.log(`rxvds serve: ${message}`);
    return { statusCode, message };
  }
}
