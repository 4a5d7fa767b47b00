import type { Transcript } from '../../src-shared/transcript';
import { buildCues } from './cues';
import { toCueText } from './text';
import { resolveExportOptions, type ExportOptions, type ResolvedExportOptions } from './options';
import { formatSubtitleTime } from './timecode';

/**
 * WebVTT: `WEBVTT` header, `HH:MM:SS.mmm` timings, speakers as `<v Speaker>` voice spans. With `wordCues`, each
 * word of a segment that has word times is a cue of its own (for players that highlight word by word).
 */
export function renderVtt(transcript: Transcript, options: ExportOptions = {}): string {
  const resolved = resolveExportOptions(options);
  const cues = resolved.wordCues ? wordByWordCues(transcript, resolved) : buildCues(transcript, resolved, { inlineSpeakerLabel: false });
  const rendered = cues.map((cue) => {
    const timing = `${formatSubtitleTime(cue.startMs, '.')} --> ${formatSubtitleTime(cue.endMs, '.')}`;
    const text = cue.lines.map(escapeCueText).join('\n');
    const body = cue.speaker === null ? text : `<v ${escapeAnnotation(cue.speaker)}>${text}</v>`;
    return `${timing}\n${body}\n`;
  });
  return ['WEBVTT\n', ...rendered].join('\n');
}

interface SimpleCue {
  startMs: number;
  endMs: number;
  lines: string[];
  speaker: string | null;
}

/** A cue per word where the segment has word times; the segment's own cues where it has none. */
function wordByWordCues(transcript: Transcript, options: ResolvedExportOptions): SimpleCue[] {
  return transcript.segments.flatMap((segment): SimpleCue[] => {
    const words = (segment.words ?? []).filter((word) => word.text.trim() !== '');
    if (words.length === 0) return buildCues({ ...transcript, segments: [segment] }, options, { inlineSpeakerLabel: false });
    const speaker = options.includeSpeakers && segment.speaker != null ? toCueText(segment.speaker) || null : null;
    return words.map((word) => {
      const startMs = Math.round(word.start * 1000);
      return { startMs, endMs: Math.max(startMs + 1, Math.round(word.end * 1000)), lines: [toCueText(word.text).trim()], speaker };
    });
  });
}

function escapeCueText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A `<v>` annotation ends at `>`, and readers disagree on whether character references inside it are
 * decoded (W3C webvtt.js keeps `&amp;` literally), so `>` becomes the look-alike `›` and `&` stays raw,
 * which every reader shows as `&`.
 */
function escapeAnnotation(text: string): string {
  return text.replace(/>/g, '\u203A');
}
