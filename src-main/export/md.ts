import type { Transcript } from '../../src-shared/transcript';
import { resolveExportOptions, type ExportOptions } from './options';
import { toSingleLine } from './text';
import { formatClockSeconds } from './timecode';

/**
 * CommonMark: `# title`, a metadata list, then one paragraph per non-empty segment,
 * `[HH:MM:SS] **Speaker:** text`. All transcript text is escaped so it always reads as literal text.
 */
export function renderMd(transcript: Transcript, options: ExportOptions = {}): string {
  const resolved = resolveExportOptions(options);
  const title = toSingleLine(transcript.source) || 'Transcript';
  const metadata = [
    `- **Language:** ${escapeInline(toSingleLine(transcript.language)) || 'unknown'}`,
    `- **Model:** ${escapeInline(toSingleLine(transcript.modelId)) || 'unknown'}`,
    `- **Task:** ${escapeInline(transcript.task)}`,
    `- **Duration:** ${formatClockSeconds(transcript.duration)}`,
  ];
  const paragraphs: string[] = [];
  for (const segment of transcript.segments) {
    const text = toSingleLine(segment.text);
    if (text === '') continue;
    const speaker = resolved.includeSpeakers && segment.speaker != null ? toSingleLine(segment.speaker) : '';
    const stamp = resolved.includeTimestamps ? `[${formatClockSeconds(segment.start)}] ` : '';
    const label = speaker === '' ? '' : `**${escapeInline(speaker)}:** `;
    const body = stamp === '' && label === '' ? escapeBlockStart(escapeInline(text)) : escapeInline(text);
    paragraphs.push(`${stamp}${label}${body}`);
  }
  return `${[`# ${escapeInline(title)}`, metadata.join('\n'), ...paragraphs].join('\n\n')}\n`;
}

// Characters that can open inline constructs anywhere in a line: emphasis, code, links, HTML,
// entities, strikethrough/tables (GFM), and `#` (a heading's closing sequence).
const INLINE_SPECIAL = /[\\`*_[\]<>&~|#]/g;

export function escapeInline(text: string): string {
  return text.replace(INLINE_SPECIAL, (char) => `\\${char}`);
}

/** Escapes what would turn a line into a block: a list marker, block quote, heading, setext/thematic break. */
function escapeBlockStart(text: string): string {
  const ordered = /^(\d{1,9})([.)])/.exec(text);
  if (ordered !== null) return `${ordered[1]}\\${ordered[2]}${text.slice(ordered[0].length)}`;
  return /^[-+=>]/.test(text) ? `\\${text}` : text;
}
