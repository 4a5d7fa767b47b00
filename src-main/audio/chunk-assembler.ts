/**
 * Packs raw little-endian float32 bytes from a pipe into fixed-size Float32Array chunks.
 * Bytes are copied, not parsed, so a float split across two pipe reads is reassembled for free.
 */
export class ChunkAssembler {
  private bytes: Uint8Array;
  private filled = 0;

  constructor(private readonly chunkSamples: number) {
    if (!Number.isInteger(chunkSamples) || chunkSamples <= 0) {
      throw new RangeError(`chunkSamples must be a positive integer, got ${chunkSamples}`);
    }
    this.bytes = new Uint8Array(chunkSamples * 4);
  }

  /** Returns the chunks completed by these bytes (often none, sometimes several). */
  push(data: Uint8Array): Float32Array[] {
    const done: Float32Array[] = [];
    let offset = 0;
    while (offset < data.length) {
      const take = Math.min(this.bytes.length - this.filled, data.length - offset);
      this.bytes.set(data.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.bytes.length) {
        done.push(new Float32Array(this.bytes.buffer));
        this.bytes = new Uint8Array(this.chunkSamples * 4);
        this.filled = 0;
      }
    }
    return done;
  }

  /** The final short chunk, or null; a dangling partial float (never produced by ffmpeg) is dropped. */
  flush(): Float32Array | null {
    const samples = Math.floor(this.filled / 4);
    this.filled = 0;
    if (samples === 0) return null;
    return new Float32Array(this.bytes.buffer.slice(0, samples * 4));
  }
}
