/// <reference lib="dom" />
// The viewer's side of the service's HTTP contract: the JSON it reads, the slice event stream
// (Server-Sent Events read through fetch, so a request can carry a bearer token and be aborted),
// and traces through the fence route.
import { readEventStream } from './eventStream.js';

export type AxisRole = 'inline' | 'crossline' | 'sample';

/** One axis of GET /datasets/{id}/metadata: annotation coordinates run from `min` to `max`. */
export interface AxisMetadata {
  dimension: number;
  name: string;
  unit: string;
  samples: number;
  min: number;
  max: number;
  role: AxisRole | null;
}

export interface DatasetMetadata {
  id: string;
  axes: AxisMetadata[];
  channels: { name: string; unit: string; valueRange: [number, number]; noValue: number | null }[];
  lods: number[];
}

/** A slice as rows × columns of float32, row-major (the rows are the higher of its two dimensions). */
export interface SliceData {
  lod: number;
  shape: [rows: number, columns: number];
  data: Float32Array;
}

export type SliceEvent =
  | { kind: 'progress'; done: number; total: number }
  | ({ kind: 'slice' } & SliceData);

/** An answer other than 2xx: its status and the server's message. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function failure(response: Response): Promise<HttpError> {
  const text = await response.text();
  let message = text;
  try {
    message = (JSON.parse(text) as { error?: string }).error ?? text;
  } catch { /* not JSON: the text itself */ }
  return new HttpError(response.status, `${response.status} ${response.statusText}: ${message}`);
}

/** Little-endian float32 from base64 (the browsers' byte order is little-endian too). */
function float32FromBase64(base64: string): Float32Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return new Float32Array(bytes.buffer, 0, bytes.length >> 2);
}

export class ServiceClient {
  /** A bearer token, when the service asks for one. */
  token = '';

  private headers(accept: string): Record<string, string> {
    return this.token ? { accept, authorization: `Bearer ${this.token}` } : { accept };
  }

  private async json<T>(path: string, signal?: AbortSignal): Promise<T> {
    const response = await fetch(path, { headers: this.headers('application/json'), signal });
    if (!response.ok) throw await failure(response);
    return response.json() as Promise<T>;
  }

  async datasets(): Promise<string[]> {
    return (await this.json<{ datasets: { id: string }[] }>('/datasets')).datasets.map((d) => d.id);
  }

  metadata(id: string): Promise<DatasetMetadata> {
    return this.json(`/datasets/${encodeURIComponent(id)}/metadata`);
  }

  /**
   * The events of one slice read by index (`direction` i, j or k): progress, then each LOD as it is
   * ready, coarse first. Aborting `signal` closes the connection, which cancels the read on the server.
   */
  async *slice(id: string, direction: 'i' | 'j' | 'k', index: number, signal: AbortSignal): AsyncGenerator<SliceEvent> {
    const query = new URLSearchParams({ direction, lineno: String(index), format: 'f32' });
    const response = await fetch(`/datasets/${encodeURIComponent(id)}/slice?${query}`, { headers: this.headers('text/event-stream'), signal });
    if (!response.ok || !response.body) throw await failure(response);
    for await (const { event, data } of readEventStream(response.body)) {
      const payload = JSON.parse(data) as Record<string, unknown>;
      if (event === 'progress') yield { kind: 'progress', done: payload.done as number, total: payload.total as number };
      else if (event === 'slice') yield { kind: 'slice', lod: payload.lod as number, shape: payload.shape as [number, number], data: float32FromBase64(payload.data as string) };
      else if (event === 'error') throw new HttpError((payload.status as number | undefined) ?? 500, String(payload.message ?? payload.error ?? data));
      else if (event === 'end') return;
    }
    throw new Error('the slice stream ended before its end event');
  }

  /** The trace at inline index `i`, crossline index `j`: every sample of the vertical axis. */
  async trace(id: string, i: number, j: number, signal: AbortSignal): Promise<Float32Array> {
    const response = await fetch(`/datasets/${encodeURIComponent(id)}/fence`, {
      method: 'POST', signal,
      headers: { ...this.headers('application/octet-stream'), 'content-type': 'application/json' },
      body: JSON.stringify({ coordinateSystem: 'index', coordinates: [[i, j]], interpolation: 'nearest' }),
    });
    if (!response.ok) throw await failure(response);
    return new Float32Array(await response.arrayBuffer());
  }
}
