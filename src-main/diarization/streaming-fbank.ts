import { FBANK_BINS, FBANK_FRAME_LENGTH, FBANK_FRAME_SHIFT, KaldiFbank, fbankFrameCount, type FbankOptions } from './fbank';

/**
 * Fbank frames of a stream, computed once: Kaldi's frames only look at their own 400 samples (DC removal,
 * pre-emphasis and windowing are per frame), so computing chunk by chunk gives exactly the frames of the
 * whole file. Overlapping segmentation windows then share them instead of recomputing each second of
 * audio ten times. Frame j covers samples [160 j, 160 j + 400). Memory: the frames not yet dropped.
 */
export class StreamingFbank {
  private readonly fbank: KaldiFbank;
  /** Samples from FBANK_FRAME_SHIFT · nextFrame on, not yet turned into whole frames. */
  private pending = new Float32Array(0);
  private nextFrame = 0;
  private store = new Float32Array(0);
  /** Frame index of store[0]. */
  private storeStart = 0;
  private storeFrames = 0;

  constructor(options: FbankOptions) {
    this.fbank = new KaldiFbank(options);
  }

  /** Frames computed so far. */
  get frameCount(): number {
    return this.nextFrame;
  }

  push(samples: Float32Array): void {
    const joined = new Float32Array(this.pending.length + samples.length);
    joined.set(this.pending);
    joined.set(samples, this.pending.length);
    const frames = fbankFrameCount(joined.length);
    if (frames > 0) {
      this.append(this.fbank.compute(joined.subarray(0, FBANK_FRAME_LENGTH + (frames - 1) * FBANK_FRAME_SHIFT)), frames);
      this.nextFrame += frames;
    }
    this.pending = joined.slice(frames * FBANK_FRAME_SHIFT);
  }

  /** Frames [first, first + count) (frames × 80), or null when they are not all held (dropped, or not yet computed). */
  slice(first: number, count: number): Float32Array | null {
    if (first < this.storeStart || first + count > this.storeStart + this.storeFrames) return null;
    const offset = (first - this.storeStart) * FBANK_BINS;
    return this.store.slice(offset, offset + count * FBANK_BINS);
  }

  /** Forgets the frames before `frame`. */
  dropBefore(frame: number): void {
    const drop = Math.min(this.storeFrames, frame - this.storeStart);
    if (drop <= 0) return;
    this.store.copyWithin(0, drop * FBANK_BINS, this.storeFrames * FBANK_BINS);
    this.storeStart += drop;
    this.storeFrames -= drop;
  }

  private append(features: Float32Array, frames: number): void {
    const needed = (this.storeFrames + frames) * FBANK_BINS;
    if (needed > this.store.length) {
      const grown = new Float32Array(Math.max(needed, this.store.length * 2));
      grown.set(this.store.subarray(0, this.storeFrames * FBANK_BINS));
      this.store = grown;
    }
    this.store.set(features, this.storeFrames * FBANK_BINS);
    this.storeFrames += frames;
  }
}
