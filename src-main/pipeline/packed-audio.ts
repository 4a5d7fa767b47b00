import type { CodedError } from '../../src-shared/result';
import type { DecodeItem } from '../audio/types';
import { SampleWindow } from './sample-window';
import type { SpeechTimeline, TimelinePiece } from './speech-timeline';

/**
 * A streamed decode of a file, kept only where the timeline keeps audio and laid out on its virtual axis:
 * memory holds the window being transcribed plus one decoded chunk, whatever the file's length.
 */
export class PackedAudio {
  private readonly window: SampleWindow;
  private pieceIndex = 0;
  private ended = false;

  constructor(
    private readonly chunks: AsyncIterator<DecodeItem>,
    private readonly timeline: SpeechTimeline,
    initialCapacity: number,
  ) {
    this.window = new SampleWindow(initialCapacity);
  }

  /** Real samples decoded so far (for the duration of a file whose container does not say). */
  decodedSamples = 0;

  /** Decodes until the packed audio reaches `virtualEnd` (or the stream ends); a decode failure is returned. */
  async fill(virtualEnd: number): Promise<CodedError | null> {
    while (!this.ended && this.window.endSample < Math.min(virtualEnd, this.timeline.length)) {
      const next = await this.chunks.next();
      if (next.done) {
        this.ended = true;
        break;
      }
      if (!next.value.ok) return next.value.error;
      const { samples, startSample } = next.value.value;
      this.decodedSamples = startSample + samples.length;
      this.keep(samples, startSample);
    }
    return null;
  }

  /** A copy of virtual samples [from, to). */
  slice(from: number, to: number): Float32Array {
    return this.window.slice(from, to);
  }

  dropBefore(virtualSample: number): void {
    this.window.dropBefore(virtualSample);
  }

  /** Ends the decode early (closing ffmpeg). */
  async close(): Promise<void> {
    await this.chunks.return?.();
  }

  private keep(samples: Float32Array, startSample: number): void {
    const end = startSample + samples.length;
    const pieces = this.timeline.pieces;
    while (this.pieceIndex < pieces.length) {
      const piece = pieces[this.pieceIndex] as TimelinePiece;
      if (piece.realStart >= end) return;
      const from = Math.max(piece.realStart, startSample);
      const to = Math.min(piece.realEnd, end);
      if (to > from) {
        const virtualFrom = piece.virtualStart + from - piece.realStart;
        // A gap would only come from a decoder that skipped samples; keep the axis exact regardless.
        if (virtualFrom > this.window.endSample) this.window.append(new Float32Array(virtualFrom - this.window.endSample));
        if (virtualFrom >= this.window.endSample) this.window.append(samples.subarray(from - startSample, to - startSample));
      }
      if (piece.realEnd > end) return;
      this.pieceIndex += 1;
    }
  }
}
