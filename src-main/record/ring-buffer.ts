/**
 * A fixed-capacity ring of float32 samples with one producer and any number of independent readers.
 * Positions are absolute sample counts since the start, so a reader can tell exactly what it missed:
 * a reader that falls more than `capacity` behind skips to the oldest sample still held and is told how
 * many it skipped. Memory never grows after construction, whatever the readers do.
 */
export class RingBuffer {
  private readonly data: Float32Array;
  private written = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity <= 0) throw new RangeError('capacity must be a positive integer');
    this.data = new Float32Array(capacity);
  }

  /** Absolute position one past the newest sample. */
  get head(): number {
    return this.written;
  }

  /** Absolute position of the oldest sample still held. */
  get tail(): number {
    return Math.max(0, this.written - this.capacity);
  }

  write(samples: Float32Array): void {
    let source = samples;
    // Only the newest `capacity` samples of an oversized write can be kept.
    if (source.length > this.capacity) {
      this.written += source.length - this.capacity;
      source = source.subarray(source.length - this.capacity);
    }
    const start = this.written % this.capacity;
    const first = Math.min(source.length, this.capacity - start);
    this.data.set(source.subarray(0, first), start);
    if (first < source.length) this.data.set(source.subarray(first), 0);
    this.written += source.length;
  }

  reader(): RingReader {
    return new RingReader(this, this.written);
  }

  /** Copies [from, to) into `target` (positions must be within [tail, head)). */
  copy(from: number, to: number, target: Float32Array): void {
    const length = to - from;
    const start = from % this.capacity;
    const first = Math.min(length, this.capacity - start);
    target.set(this.data.subarray(start, start + first), 0);
    if (first < length) target.set(this.data.subarray(0, length - first), first);
  }
}

export interface RingRead {
  /** Absolute position of samples[0]. */
  position: number;
  samples: Float32Array;
  /** Samples lost because this reader fell more than `capacity` behind (0 normally). */
  skipped: number;
}

export class RingReader {
  constructor(
    private readonly ring: RingBuffer,
    private cursor: number,
  ) {}

  get position(): number {
    return this.cursor;
  }

  get available(): number {
    return this.ring.head - Math.max(this.cursor, this.ring.tail);
  }

  /** Everything new since the last read, at most `max` samples, copied out. */
  read(max = Number.POSITIVE_INFINITY): RingRead {
    const tail = this.ring.tail;
    const skipped = Math.max(0, tail - this.cursor);
    this.cursor += skipped;
    const to = Math.min(this.ring.head, this.cursor + max);
    const samples = new Float32Array(to - this.cursor);
    this.ring.copy(this.cursor, to, samples);
    const read = { position: this.cursor, samples, skipped };
    this.cursor = to;
    return read;
  }
}
