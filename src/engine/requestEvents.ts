// What a request's Observable emits: progress as chunks are done, then its data once.

export interface ProgressEvent {
  kind: 'progress';
  /** Pages (chunks) processed / pages in the request: 0…1. */
  completionFactor: number;
  chunksDone: number;
  chunkCount: number;
}

export interface DataEvent<T> {
  kind: 'data';
  data: T;
}

export type RequestEvent<T> = ProgressEvent | DataEvent<T>;
