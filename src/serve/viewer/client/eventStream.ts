/// <reference lib="dom" />
// A text/event-stream reader over a fetch body (the parts of the SSE format a service sends:
// `event:` and `data:` fields, comments, blank-line dispatch).

export interface StreamEvent {
  event: string;
  data: string;
}

export async function* readEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  // Where the search for the next line end resumes: a slice's data line spans many network chunks.
  let scanned = 0;
  let event = 'message';
  let data: string[] = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n', scanned)) >= 0) {
        const line = buffer.slice(0, end > 0 && buffer[end - 1] === '\r' ? end - 1 : end);
        buffer = buffer.slice(end + 1);
        scanned = 0;
        if (line === '') {
          if (data.length) yield { event, data: data.join('\n') };
          event = 'message';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(line[colon + 1] === ' ' ? colon + 2 : colon + 1);
        if (field === 'event') event = text;
        else if (field === 'data') data.push(text);
      }
      scanned = buffer.length;
    }
  } finally {
    // An early exit (a new selection, an error event) closes the connection.
    await reader.cancel().catch(() => undefined);
  }
}
