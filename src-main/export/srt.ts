import type { Transcript } from '../../src-shared/transcript';
import { buildCues } from './cues';
import { resolveExportOptions, type ExportOptions } from './options';
import { formatSubtitleTime } from './timecode';

const BYTE_ORDER_MARK = '\uFEFF';

/**
 * SubRip: numbered cues, `HH:MM:SS,mmm --> HH:MM:SS,mmm`, speaker as a "Speaker: " prefix on each cue's
 * first line. No markup is emitted, and text is not escaped because SRT has no escape mechanism.
 */
export function renderSrt(transcript: Transcript, options: ExportOptions = {}): string {
  const resolved = resolveExportOptions(options);
  const blocks = buildCues(transcript, resolved, { inlineSpeakerLabel: true }).map((cue, index) => {
    const [first = '', ...rest] = cue.lines;
    const lines = [cue.speaker === null ? first : `${cue.speaker}: ${first}`, ...rest];
    const timing = `${formatSubtitleTime(cue.startMs, ',')} --> ${formatSubtitleTime(cue.endMs, ',')}`;
    return `${index + 1}\n${timing}\n${lines.join('\n')}\n`;
  });
  return (resolved.srtByteOrderMark ? BYTE_ORDER_MARK : '') + blocks.join('\n');
}
