import type { Transcript } from '../../src-shared/transcript';
import { buildCues } from './cues';
import { resolveExportOptions, type ExportOptions } from './options';
import { formatSubtitleTime } from './timecode';

/** WebVTT: `WEBVTT` header, `HH:MM:SS.mmm` timings, speakers as `<v Speaker>` voice spans. */
export function renderVtt(transcript: Transcript, options: ExportOptions = {}): string {
  const resolved = resolveExportOptions(options);
  const cues = buildCues(transcript, resolved, { inlineSpeakerLabel: false }).map((cue) => {
    const timing = `${formatSubtitleTime(cue.startMs, '.')} --> ${formatSubtitleTime(cue.endMs, '.')}`;
    const text = cue.lines.map(escapeCueText).join('\n');
    const body = cue.speaker === null ? text : `<v ${escapeAnnotation(cue.speaker)}>${text}</v>`;
    return `${timing}\n${body}\n`;
  });
  return ['WEBVTT\n', ...cues].join('\n');
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
