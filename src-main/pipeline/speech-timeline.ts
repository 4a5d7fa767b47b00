/**
 * The speech of a file with its long silences shortened, as Whisper hears it. VAD finds the speech; each
 * stretch keeps up to `margin` seconds of the silence on either side (a pause Whisper can hear), and what lies
 * beyond is cut out, so a 30 s window holds 30 s of talk rather than a sentence and a long silence (after
 * which Whisper tends to stop listening) and windows are not spent on nothing. Times map back exactly.
 */
import { ENGINE_SAMPLE_RATE } from '../audio/types';
import type { SpeechSpan } from './window-planner';

/** One stretch of kept audio: real samples [realStart, realEnd) played at virtual sample `virtualStart`. */
export interface TimelinePiece {
  realStart: number;
  realEnd: number;
  virtualStart: number;
}

export const DEFAULT_SILENCE_MARGIN_SECONDS = 0.5;

export class SpeechTimeline {
  readonly pieces: readonly TimelinePiece[];
  /** Virtual samples in all. */
  readonly length: number;
  /** VAD speech in virtual samples (sorted, disjoint), for coverage checks. */
  private readonly speech: readonly { start: number; end: number }[];

  private constructor(pieces: TimelinePiece[], speech: { start: number; end: number }[]) {
    this.pieces = pieces;
    const last = pieces.at(-1);
    this.length = last ? last.virtualStart + last.realEnd - last.realStart : 0;
    this.speech = speech;
  }

  /** `spans` in seconds (sorted, disjoint); `durationSeconds` bounds the margins when known. */
  static fromSpans(
    spans: readonly SpeechSpan[],
    durationSeconds: number | null,
    marginSeconds = DEFAULT_SILENCE_MARGIN_SECONDS,
  ): SpeechTimeline {
    const rate = ENGINE_SAMPLE_RATE;
    const margin = Math.round(marginSeconds * rate);
    const limit = durationSeconds === null ? Number.POSITIVE_INFINITY : Math.round(durationSeconds * rate);
    const pieces: TimelinePiece[] = [];
    const realSpeech: { start: number; end: number }[] = [];
    for (const span of spans) {
      const start = Math.round(span.start * rate);
      const end = Math.min(Math.round(span.end * rate), limit);
      if (end <= start) continue;
      realSpeech.push({ start, end });
      const from = Math.max(0, start - margin);
      const to = Math.min(limit, end + margin);
      const previous = pieces.at(-1);
      if (previous && from <= previous.realEnd) previous.realEnd = Math.max(previous.realEnd, to);
      else
        pieces.push({
          realStart: from,
          realEnd: to,
          virtualStart: previous ? previous.virtualStart + previous.realEnd - previous.realStart : 0,
        });
    }
    const timeline = new SpeechTimeline(pieces, []);
    const speech = realSpeech.map((span) => ({ start: timeline.toVirtual(span.start), end: timeline.toVirtual(span.end) }));
    return new SpeechTimeline(pieces, speech);
  }

  /** The virtual sample of a real one (real samples in a cut silence map to the cut). */
  toVirtual(realSample: number): number {
    const index = this.pieceIndexOfReal(realSample);
    const piece = this.pieces[index];
    if (!piece) return 0;
    return piece.virtualStart + Math.min(Math.max(realSample, piece.realStart), piece.realEnd) - piece.realStart;
  }

  /**
   * The real sample of a virtual one. At the seam between two pieces, a start belongs to the later piece and an
   * end to the earlier one, so no segment stretches over the silence that was cut out.
   */
  toReal(virtualSample: number, edge: 'start' | 'end'): number {
    const pieces = this.pieces;
    if (pieces.length === 0) return virtualSample;
    let low = 0;
    let high = pieces.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((pieces[middle] as TimelinePiece).virtualStart <= virtualSample) low = middle;
      else high = middle - 1;
    }
    let piece = pieces[low] as TimelinePiece;
    if (edge === 'end' && low > 0 && virtualSample === piece.virtualStart) piece = pieces[low - 1] as TimelinePiece;
    const offset = Math.min(Math.max(0, virtualSample - piece.virtualStart), piece.realEnd - piece.realStart);
    return piece.realStart + offset;
  }

  /** Virtual samples of VAD speech inside [from, to). */
  speechWithin(from: number, to: number): number {
    let total = 0;
    for (const span of this.speech) {
      if (span.end <= from) continue;
      if (span.start >= to) break;
      total += Math.min(span.end, to) - Math.max(span.start, from);
    }
    return total;
  }

  /** The VAD speech stretches overlapping [from, to), clipped to it (virtual samples). */
  speechStretches(from: number, to: number): { start: number; end: number }[] {
    const stretches: { start: number; end: number }[] = [];
    for (const span of this.speech) {
      if (span.end <= from) continue;
      if (span.start >= to) break;
      stretches.push({ start: Math.max(span.start, from), end: Math.min(span.end, to) });
    }
    return stretches;
  }

  /**
   * A word's span (virtual samples) kept inside the VAD speech stretch it overlaps most: Whisper's alignment can
   * stretch a word over the pause before or after it (a pause longer than the margins is cut from the window,
   * so a word's span can even cross the cut). A span that overlaps no speech is returned as it is.
   */
  keepInSpeech(start: number, end: number): { start: number; end: number } {
    const speech = this.speech;
    let low = 0;
    let high = speech.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((speech[middle] as { end: number }).end <= start) low = middle + 1;
      else high = middle;
    }
    let best: { start: number; end: number } | null = null;
    let bestOverlap = 0;
    for (let index = low; index < speech.length; index += 1) {
      const span = speech[index] as { start: number; end: number };
      if (span.start >= end) break;
      const overlap = Math.min(span.end, end) - Math.max(span.start, start);
      if (overlap > bestOverlap) {
        best = span;
        bestOverlap = overlap;
      }
    }
    return best === null ? { start, end } : { start: Math.max(start, best.start), end: Math.min(end, best.end) };
  }

  /** The end of the VAD speech stretch that contains `at` or starts after it (virtual samples), or null. */
  speechEndAfter(at: number): number | null {
    for (const span of this.speech) if (span.end > at) return span.end;
    return null;
  }

  private pieceIndexOfReal(realSample: number): number {
    let low = 0;
    let high = this.pieces.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.pieces[middle] as TimelinePiece).realStart <= realSample) low = middle;
      else high = middle - 1;
    }
    return Math.max(0, low);
  }
}
