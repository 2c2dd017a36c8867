// A growable little-endian byte buffer for assembling wavelet streams.

export class ByteWriter {
  private buffer: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(initial = 1024) {
    this.buffer = new Uint8Array(Math.max(16, initial));
    this.view = new DataView(this.buffer.buffer);
  }

  /** Makes room for `n` more bytes and returns the offset they start at (zero-filled). */
  reserve(n: number): number {
    const at = this.length;
    const need = at + n;
    if (need > this.buffer.length) {
      const next = new Uint8Array(Math.max(need, this.buffer.length * 2));
      next.set(this.buffer.subarray(0, at));
      this.buffer = next;
      this.view = new DataView(next.buffer);
    }
    this.length = need;
    return at;
  }

  /** The underlying bytes; valid until the next `reserve`. */
  get bytes(): Uint8Array {
    return this.buffer;
  }

  int32(value: number): void {
    const at = this.reserve(4);
    this.view.setInt32(at, value, true);
  }
  float32(value: number): void {
    const at = this.reserve(4);
    this.view.setFloat32(at, value, true);
  }
  setInt32(offset: number, value: number): void {
    this.view.setInt32(offset, value, true);
  }
  append(bytes: Uint8Array): void {
    const at = this.reserve(bytes.length);
    this.buffer.set(bytes, at);
  }
  /** Zero bytes up to the next multiple of 4 (sections start 4-aligned). */
  pad4(): void {
    this.reserve(((this.length + 3) & ~3) - this.length);
  }
  /** A copy of what was written. */
  result(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}
