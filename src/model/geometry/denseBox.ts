// A box inside a dense array of up to six dimensions, dimension 0 fastest: a decoded chunk and the
// box of it a subset wants (ChunkCopy's chunk side).

/** `[start, start + count)` of an array of `size` elements per dimension. */
export interface DenseBox {
  size: readonly number[];
  start: readonly number[];
  count: readonly number[];
}

/** The box's element count, and the offsets of its first and last element (the box lies between them). */
export function denseBoxExtent({ size, start, count }: DenseBox): { elements: number; first: number; last: number } {
  let elements = 1, first = 0, last = 0, pitch = 1;
  for (let d = 0; d < size.length; d++) {
    elements *= count[d]!;
    first += start[d]! * pitch;
    last += (start[d]! + count[d]! - 1) * pitch;
    pitch *= size[d]!;
  }
  return { elements, first, last };
}
