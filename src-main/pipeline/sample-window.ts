/**
 * A sliding span of 16 kHz samples over a stream: append at the end, drop from the front.
 * Holds only what lies between the transcription cursor and the newest decoded chunk, so memory is
 * bounded by the window length plus one chunk, whatever the file's length.
 */
export class SampleWindow {
  private buffer: Float32Array;
  private length = 0;
  /** Absolute index of buffer[0]. */
  private origin = 0;

  constructor(initialCapacity: number) {
    this.buffer = new Float32Array(initialCapacity);
  }

  get startSample(): number {
    return this.origin;
  }

  get endSample(): number {
    return this.origin + this.length;
  }

  /** Forgets everything and continues at `absoluteSample` (after a gap in the stream). */
  restartAt(absoluteSample: number): void {
    this.length = 0;
    this.origin = absoluteSample;
  }

  append(samples: Float32Array): void {
    if (this.length + samples.length > this.buffer.length) {
      const grown = new Float32Array(Math.max(this.buffer.length * 2, this.length + samples.length));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(samples, this.length);
    this.length += samples.length;
  }

  /** Forgets every sample before `absoluteSample`. */
  dropBefore(absoluteSample: number): void {
    const drop = Math.min(this.length, Math.max(0, absoluteSample - this.origin));
    if (drop === 0) return;
    this.buffer.copyWithin(0, drop, this.length);
    this.length -= drop;
    this.origin += drop;
  }

  /** A copy of [from, to) in absolute samples, clipped to what is held. */
  slice(fromSample: number, toSample: number): Float32Array {
    const from = Math.max(0, fromSample - this.origin);
    const to = Math.min(this.length, toSample - this.origin);
    return this.buffer.slice(from, Math.max(from, to));
  }
}
