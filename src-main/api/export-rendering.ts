/** A meeting's transcript rendered for the client to save: file name, MIME type and text. */
import type { ExportFormat, RenderedExport } from '../../src-shared/ipc-contract';
import { ok, type Result } from '../../src-shared/result';
import { fileExtension, renderTranscript } from '../export';
import type { LibraryStore } from '../library/library-store';
import { speakerTurnsWithNames, transcriptWithSpeakerNames } from '../library/named-transcript';

export const EXPORT_MIME_TYPES: Record<ExportFormat, string> = {
  txt: 'text/plain; charset=utf-8',
  srt: 'application/x-subrip; charset=utf-8',
  vtt: 'text/vtt; charset=utf-8',
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  rttm: 'text/plain; charset=utf-8',
};

const MAX_BASE_NAME = 150;

/** A title as a file name on every platform: no separators, reserved or control characters, no trailing dots. */
export function safeFileBaseName(title: string): string {
  const cleaned = title
    .normalize('NFC')
    .replace(/[\\/:*?"<>|\p{Cc}]/gu, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .replace(/[. ]+$/, '')
    .slice(0, MAX_BASE_NAME)
    .trim();
  return cleaned.length > 0 ? cleaned : 'transcript';
}

export function renderMeetingExport(library: LibraryStore, meetingId: string, format: ExportFormat): Result<RenderedExport> {
  const meeting = library.getMeeting(meetingId);
  if (!meeting.ok) return meeting;
  const transcript = transcriptWithSpeakerNames(library, meetingId);
  if (!transcript.ok) return transcript;
  const turns = format === 'rttm' ? speakerTurnsWithNames(library, meetingId) : ok(undefined);
  if (!turns.ok) return turns;
  return ok({
    fileName: `${safeFileBaseName(meeting.value.title)}.${fileExtension(format)}`,
    mimeType: EXPORT_MIME_TYPES[format],
    content: renderTranscript(transcript.value, format, turns.value && turns.value.length > 0 ? { speakerTurns: turns.value } : {}),
  });
}
