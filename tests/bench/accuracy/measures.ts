/** What `bench:accuracy` derives from the runs: error totals, word-time differences, coverage, fallback. */
import type { SpeechSpan } from '../../../src-main/pipeline/window-planner';
import { round } from './inputs';
import type { EngineRun, EngineSegment } from './our-engine';
import type { TextScore, WordScore } from './python';

export interface ErrorTotal {
  errors: number;
  units: number;
  /** errors / units (WER or CER). */
  rate: number | null;
}

export function total(scores: readonly Pick<TextScore, 'errors' | 'units'>[]): ErrorTotal {
  const errors = scores.reduce((sum, score) => sum + score.errors, 0);
  const units = scores.reduce((sum, score) => sum + score.units, 0);
  return { errors, units, rate: units > 0 ? round(errors / units, 4) : null };
}

/** ours / theirs in errors (null when they made none and we made none either). */
export function ratio(ours: ErrorTotal | undefined, theirs: ErrorTotal | undefined): number | null {
  if (!ours || !theirs) return null;
  if (theirs.errors === 0) return ours.errors === 0 ? 1 : null;
  return round(ours.errors / theirs.errors, 3);
}

function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] as number;
  return round(low + ((sorted[upper] as number) - low) * (position - lower), 3);
}

export interface WordTiming {
  clips: number;
  ourWords: number;
  theirWords: number;
  matched: number;
  start: { median: number | null; p95: number | null };
  end: { median: number | null; p95: number | null };
}

export function wordTiming(scores: readonly WordScore[]): WordTiming {
  const starts = scores.flatMap((score) => score.startDiffs).sort((a, b) => a - b);
  const ends = scores.flatMap((score) => score.endDiffs).sort((a, b) => a - b);
  return {
    clips: scores.length,
    ourWords: scores.reduce((sum, score) => sum + score.ours, 0),
    theirWords: scores.reduce((sum, score) => sum + score.theirs, 0),
    matched: starts.length,
    start: { median: quantile(starts, 0.5), p95: quantile(starts, 0.95) },
    end: { median: quantile(ends, 0.5), p95: quantile(ends, 0.95) },
  };
}

export interface Coverage {
  speechSeconds: number;
  coveredSeconds: number;
  percent: number;
  /** Speech (VAD) under no transcribed segment, longer than `minGap` seconds. */
  uncovered: { start: number; end: number; seconds: number }[];
  /** Coverage when [inaudible] markers count as covering (this engine's only). */
  percentWithInaudible: number;
  inaudible: { start: number; end: number }[];
}

function merged(spans: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const sorted = [...spans].filter((span) => span.end > span.start).sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const span of sorted) {
    const last = out.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else out.push({ ...span });
  }
  return out;
}

/** `speech` minus `covering`, as stretches. */
function subtract(speech: readonly SpeechSpan[], covering: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const cover = merged(covering);
  const out: { start: number; end: number }[] = [];
  for (const span of merged(speech)) {
    let at = span.start;
    for (const piece of cover) {
      if (piece.end <= at || piece.start >= span.end) continue;
      if (piece.start > at) out.push({ start: at, end: piece.start });
      at = Math.max(at, piece.end);
    }
    if (at < span.end) out.push({ start: at, end: span.end });
  }
  return out;
}

const length = (spans: readonly { start: number; end: number }[]): number => spans.reduce((sum, span) => sum + span.end - span.start, 0);

export function coverage(speech: readonly SpeechSpan[], segments: readonly EngineSegment[], minGap = 2): Coverage {
  const text = segments.filter((segment) => !segment.inaudible && segment.text.trim() !== '');
  const inaudible = segments.filter((segment) => segment.inaudible);
  const speechSeconds = length(merged(speech));
  const missing = subtract(speech, text);
  const missingWithInaudible = subtract(speech, [...text, ...inaudible]);
  const percent = (gone: number): number => (speechSeconds > 0 ? round((100 * (speechSeconds - gone)) / speechSeconds, 2) : 100);
  return {
    speechSeconds: round(speechSeconds, 2),
    coveredSeconds: round(speechSeconds - length(missing), 2),
    percent: percent(length(missing)),
    uncovered: missing
      .filter((gap) => gap.end - gap.start > minGap)
      .map((gap) => ({ start: round(gap.start, 2), end: round(gap.end, 2), seconds: round(gap.end - gap.start, 2) })),
    percentWithInaudible: percent(length(missingWithInaudible)),
    inaudible: inaudible.map((segment) => ({ start: segment.start, end: segment.end })),
  };
}

export interface Fallback {
  windows: number;
  /** Windows decoded more than once (temperature fallback). */
  fellBack: number;
  /** Windows whose every temperature failed the checks (the least bad result kept). */
  failedChecks: number;
  noSpeech: number;
  inaudible: number;
  /** Highest gzip compression ratio of a window that produced text, and where. */
  maxCompressionRatio: number | null;
  maxAt: string | null;
  /** Windows with text whose compression ratio is above 2.4. */
  over2_4: number;
}

export function fallback(runs: ReadonlyMap<string, EngineRun>): Fallback {
  const out: Fallback = {
    windows: 0,
    fellBack: 0,
    failedChecks: 0,
    noSpeech: 0,
    inaudible: 0,
    maxCompressionRatio: null,
    maxAt: null,
    over2_4: 0,
  };
  for (const [file, run] of runs) {
    if (!run.ok) continue;
    for (const window of run.windows) {
      out.windows += 1;
      if (window.inaudible) out.inaudible += 1;
      const quality = window.quality;
      if (!quality) continue;
      if (quality.attempts > 1) out.fellBack += 1;
      if (quality.failed) out.failedChecks += 1;
      if (quality.noSpeech) out.noSpeech += 1;
      if (window.segments === 0) continue;
      if (quality.compressionRatio > 2.4) out.over2_4 += 1;
      if (out.maxCompressionRatio === null || quality.compressionRatio > out.maxCompressionRatio) {
        out.maxCompressionRatio = round(quality.compressionRatio, 3);
        out.maxAt = `${file} @ ${window.start.toFixed(1)}–${window.end.toFixed(1)} s (T ${quality.temperature}, ${quality.attempts} decodes)`;
      }
    }
  }
  return out;
}

/** faster-whisper reports per segment what its window's decode was (temperature, compression ratio). */
export interface PeerFallback {
  segments: number;
  /** Segments decoded at a temperature above 0 (their window fell back). */
  fellBack: number;
  maxCompressionRatio: number | null;
  over2_4: number;
}

/** null when the runs carry no decode figures (results saved before they were kept). */
export function peerFallback(runs: ReadonlyMap<string, EngineRun>): PeerFallback | null {
  const qualities = [...runs.values()].flatMap((run) => (run.ok ? run.segments.flatMap((segment) => segment.quality ?? []) : []));
  const segments = [...runs.values()].reduce((sum, run) => sum + (run.ok ? run.segments.length : 0), 0);
  if (segments > 0 && qualities.length === 0) return null;
  let max: number | null = null;
  for (const quality of qualities) max = max === null ? quality.compressionRatio : Math.max(max, quality.compressionRatio);
  return {
    segments,
    fellBack: qualities.filter((quality) => quality.temperature > 0).length,
    maxCompressionRatio: max === null ? null : round(max, 3),
    over2_4: qualities.filter((quality) => quality.compressionRatio > 2.4).length,
  };
}
