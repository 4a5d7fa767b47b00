import type { SpeechSpan } from '../../src-main/pipeline/window-planner';

export interface SpeechCoverage {
  speechSeconds: number;
  /** Share of VAD speech inside some segment. */
  strict: number;
  /**
   * Share of VAD speech within 0.5 s of a segment. VAD joins speech across pauses shorter than its minimum silence
   * (0.5 s) and pads each region by 0.2 s, so pauses between sentences inside a region count as its speech; the
   * tolerance keeps those pauses from reading as lost speech.
   */
  tolerant: number;
  /** The longest stretch of VAD speech inside no segment, in seconds (a dropped sentence shows here). */
  longestGap: number;
}

const STEP = 0.01;
const TOLERANCE = 0.5;

/** How much of the speech VAD found the transcript's segments account for, sampled every 10 ms. */
export function speechCoverage(spans: readonly SpeechSpan[], segments: readonly { start: number; end: number }[]): SpeechCoverage {
  let speechSeconds = 0;
  let strict = 0;
  let tolerant = 0;
  let longestGap = 0;
  for (const span of spans) {
    speechSeconds += span.end - span.start;
    let gapStart = span.start;
    for (let t = span.start; t < span.end; t += STEP) {
      if (segments.some((segment) => segment.start <= t && t < segment.end)) {
        strict += STEP;
        gapStart = t + STEP;
      } else longestGap = Math.max(longestGap, t + STEP - gapStart);
      if (segments.some((segment) => segment.start - TOLERANCE <= t && t < segment.end + TOLERANCE)) tolerant += STEP;
    }
  }
  const total = speechSeconds || 1;
  return { speechSeconds, strict: strict / total, tolerant: tolerant / total, longestGap };
}
