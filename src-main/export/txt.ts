import type { Transcript } from '../../src-shared/transcript';
import { resolveExportOptions, type ExportOptions } from './options';
import { toSingleLine } from './text';
import { formatClockSeconds } from './timecode';

/** Plain text, one line per non-empty segment: `[HH:MM:SS] Speaker: text`. */
export function renderTxt(transcript: Transcript, options: ExportOptions = {}): string {
  const resolved = resolveExportOptions(options);
  const lines: string[] = [];
  for (const segment of transcript.segments) {
    const text = toSingleLine(segment.text);
    if (text === '') continue;
    const speaker = resolved.includeSpeakers && segment.speaker != null ? toSingleLine(segment.speaker) : '';
    const stamp = resolved.includeTimestamps ? `[${formatClockSeconds(segment.start)}] ` : '';
    lines.push(`${stamp}${speaker === '' ? '' : `${speaker}: `}${text}`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
