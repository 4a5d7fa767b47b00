/**
 * Speech the model passed over inside a window. Whisper can jump its timestamps across a stretch it does not
 * follow (another language than the window's, a mumble, a crosstalk), so text before and after it is kept
 * while the stretch itself vanishes without a trace. VAD knows where speech was: a stretch of at least
 * `minSpeechSamples` of it outside every segment is heard again in a window of its own.
 */
import type { RecognizedSegment } from '../asr/types';

export type UnheardSpeech =
  /** Speech before the first segment: hear [0, end) alone first, then the window again from there. */
  | { kind: 'leading'; end: number }
  /** Speech between two segments: keep the first `keep` segments and start the next window at `resumeAt`. */
  | { kind: 'between'; keep: number; resumeAt: number };

/**
 * @param segments the window's kept segments, in order, times in seconds from the window start
 * @param speechWithin samples of VAD speech between two sample offsets from the window start
 */
export function findUnheardSpeech(
  segments: readonly RecognizedSegment[],
  speechWithin: (from: number, to: number) => number,
  sampleRate: number,
  minSpeechSamples: number,
): UnheardSpeech | null {
  const first = segments[0];
  if (first === undefined) return null;
  const firstStart = Math.round(first.start * sampleRate);
  if (speechWithin(0, firstStart) >= minSpeechSamples) return { kind: 'leading', end: firstStart };
  for (let index = 1; index < segments.length; index += 1) {
    const before = segments[index - 1] as RecognizedSegment;
    if (before.end === null) break;
    const gapStart = Math.round(before.end * sampleRate);
    const gapEnd = Math.round((segments[index] as RecognizedSegment).start * sampleRate);
    if (gapEnd > gapStart && speechWithin(gapStart, gapEnd) >= minSpeechSamples)
      return { kind: 'between', keep: index, resumeAt: gapStart };
  }
  return null;
}
