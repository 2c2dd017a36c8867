// Streamed answers: Server-Sent Events (`Accept: text/event-stream`) or NDJSON
// (`Accept: application/x-ndjson`), the same events either way: `progress`, the result (`slice`,
// `fence`, `samples`, `attributes`), `end`, or `error`.
// The stream owns an AbortSignal that fires when the client disconnects before the end.
import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

export type StreamFormat = 'sse' | 'ndjson';
export type StreamEvent = 'progress' | 'slice' | 'fence' | 'samples' | 'attributes' | 'end' | 'error';

/** The streamed form a request asks for, if any: the first of the two media types its Accept header names. */
export function streamFormat(request: FastifyRequest): StreamFormat | undefined {
  const accept = request.headers.accept ?? '';
  for (const type of accept.split(',').map((t) => t.split(';')[0]!.trim().toLowerCase())) {
    if (type === 'text/event-stream') return 'sse';
    if (type === 'application/x-ndjson') return 'ndjson';
  }
  return undefined;
}

/** An AbortSignal that fires when the client goes away before the answer was fully written. */
export function disconnectSignal(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => { if (!response.writableFinished) controller.abort(); });
  return controller.signal;
}

export class EventStream {
  readonly signal: AbortSignal;
  private readonly response: ServerResponse;

  /** Takes the reply over from fastify and writes the stream's headers. */
  constructor(reply: FastifyReply, private readonly format: StreamFormat) {
    reply.hijack();
    this.response = reply.raw;
    this.signal = disconnectSignal(this.response);
    this.response.writeHead(200, {
      'Content-Type': format === 'sse' ? 'text/event-stream; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      'Cache-Control': 'no-store',
      // Proxies (nginx) would otherwise hold the events back.
      'X-Accel-Buffering': 'no',
    });
  }

  get open(): boolean {
    return !this.signal.aborted && !this.response.writableEnded;
  }

  /** One event; waits for the socket to drain when it is behind, so a slow client slows the stream down. */
  async send(event: StreamEvent, data: object): Promise<void> {
    if (!this.open) return;
    const text = this.format === 'sse' ? `event: ${event}\ndata: ${JSON.stringify(data)}\n\n` : `${JSON.stringify({ event, ...data })}\n`;
    if (!this.response.write(text)) {
      await new Promise<void>((resolve) => {
        const done = () => { this.response.off('drain', done); this.response.off('close', done); resolve(); };
        this.response.on('drain', done).on('close', done);
      });
    }
  }

  end(): void {
    if (!this.response.writableEnded) this.response.end();
  }
}
