/**
 * A first-in first-out queue of mono float32 samples with a fixed capacity, allocated once. A write
 * that does not fit drops the oldest samples (and says how many), so memory and the queue's delay are
 * both bounded whatever the producer does.
 */
export class SampleFifo {
  readonly capacity: number;
  private readonly data: Float32Array;
  /** Index of the oldest sample held. */
  private head = 0;
  private count = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity <= 0) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.data = new Float32Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  /** Appends `samples`; returns how many of the oldest samples (held or new) were dropped to make room. */
  write(samples: Float32Array): number {
    let source = samples;
    let dropped = 0;
    if (source.length > this.capacity) {
      // Only the newest `capacity` can be kept: everything held goes, and the start of this write too.
      dropped = this.count + source.length - this.capacity;
      source = source.subarray(source.length - this.capacity);
      this.head = 0;
      this.count = 0;
    } else if (this.count + source.length > this.capacity) {
      const excess = this.count + source.length - this.capacity;
      this.discard(excess);
      dropped = excess;
    }
    const at = (this.head + this.count) % this.capacity;
    const first = Math.min(source.length, this.capacity - at);
    this.data.set(source.subarray(0, first), at);
    if (first < source.length) this.data.set(source.subarray(first), 0);
    this.count += source.length;
    return dropped;
  }

  /**
   * Moves up to `frames` of the oldest samples into `into[offset + i × stride]` (an interleaved
   * channel); returns how many it moved.
   */
  readInto(into: Float32Array, offset: number, stride: number, frames: number): number {
    const take = Math.min(frames, this.count);
    const data = this.data;
    let from = this.head;
    let to = offset;
    for (let i = 0; i < take; i++) {
      into[to] = data[from]!;
      to += stride;
      from = from + 1 === this.capacity ? 0 : from + 1;
    }
    this.head = from;
    this.count -= take;
    return take;
  }

  /** Drops up to `samples` of the oldest samples; returns how many went. */
  discard(samples: number): number {
    const drop = Math.max(0, Math.min(samples, this.count));
    this.head = (this.head + drop) % this.capacity;
    this.count -= drop;
    return drop;
  }
}
