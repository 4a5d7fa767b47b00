/** A meeting's transcript rendered for the client to save: file name, MIME type and text. */
import type { ExportFormat, RenderedExport } from '../../src-shared/ipc-contract';
import { ok, type Result } from '../../src-shared/result';
import { fileExtension, renderTranscript } from '../export';
import type { LibraryStore } from '../library/library-store';
import { speakerTurnsWithNames, transcriptWithSpeakerNames } from '../library/named-transcript';
import { safeFileName } from '../util/safe-file-name';

export const EXPORT_MIME_TYPES: Record<ExportFormat, string> = {
  txt: 'text/plain; charset=utf-8',
  srt: 'application/x-subrip; charset=utf-8',
  vtt: 'text/vtt; charset=utf-8',
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  rttm: 'text/plain; charset=utf-8',
};

export function renderMeetingExport(library: LibraryStore, meetingId: string, format: ExportFormat): Result<RenderedExport> {
  const meeting = library.getMeeting(meetingId);
  if (!meeting.ok) return meeting;
  const transcript = transcriptWithSpeakerNames(library, meetingId);
  if (!transcript.ok) return transcript;
  const turns = format === 'rttm' ? speakerTurnsWithNames(library, meetingId) : ok(undefined);
  if (!turns.ok) return turns;
  return ok({
    fileName: safeFileName(meeting.value.title, { extension: fileExtension(format), fallback: 'transcript' }),
    mimeType: EXPORT_MIME_TYPES[format],
    content: renderTranscript(transcript.value, format, turns.value && turns.value.length > 0 ? { speakerTurns: turns.value } : {}),
  });
}
