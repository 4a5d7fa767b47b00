import type { SpeakerTurn } from '../../src-shared/transcript';

/** Knobs shared by every export format; each format reads the ones that apply to it. */
export interface ExportOptions {
  /** Show the segment's speaker label when diarization has set one (VTT voice tag, "Speaker: text" elsewhere). Default true. */
  includeSpeakers?: boolean;
  /** Start-of-segment `[HH:MM:SS]` stamps in txt and md. Default true. */
  includeTimestamps?: boolean;
  /** Subtitle line width in display columns; Hangul/CJK/fullwidth count as 2 columns. Default 42. */
  maxLineWidth?: number;
  /** Subtitle lines per cue; longer segments become several cues. Default 2. */
  maxLinesPerCue?: number;
  /** Start SRT output with a UTF-8 byte order mark, for legacy Windows/TV players that guess the code page. Default false. */
  srtByteOrderMark?: boolean;
  /** VTT only: one cue per word, timed by the word timestamps, where segments have them. Default false. */
  wordCues?: boolean;
  /** RTTM only: the diarizer's turns; without them, RTTM is written from the segments' speakers. */
  speakerTurns?: readonly SpeakerTurn[];
}

export type ResolvedExportOptions = Required<Omit<ExportOptions, 'speakerTurns'>> & Pick<ExportOptions, 'speakerTurns'>;

export const DEFAULT_EXPORT_OPTIONS: ResolvedExportOptions = {
  includeSpeakers: true,
  includeTimestamps: true,
  maxLineWidth: 42,
  maxLinesPerCue: 2,
  srtByteOrderMark: false,
  wordCues: false,
};

/** Narrowest line that still leaves room for a short word after a speaker label. */
const MIN_LINE_WIDTH = 8;

export function resolveExportOptions(options: ExportOptions = {}): ResolvedExportOptions {
  const merged = { ...DEFAULT_EXPORT_OPTIONS, ...stripUndefined(options) };
  return {
    ...merged,
    maxLineWidth: clampInteger(merged.maxLineWidth, MIN_LINE_WIDTH, DEFAULT_EXPORT_OPTIONS.maxLineWidth),
    maxLinesPerCue: clampInteger(merged.maxLinesPerCue, 1, DEFAULT_EXPORT_OPTIONS.maxLinesPerCue),
  };
}

function clampInteger(value: number, min: number, fallback: number): number {
  if (!Number.isFinite(value)) return fallback;
  return Math.max(min, Math.floor(value));
}

function stripUndefined(options: ExportOptions): ExportOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
