/** A meeting's transcript rendered for the client to save: file name, MIME type and text. */
import type { ExportFormat, RenderedExport } from '../../src-shared/ipc-contract';
import { fail, ok, type Result } from '../../src-shared/result';
import { fileExtension, isTextExportFormat, renderDocx, renderTranscript } from '../export';
import type { LibraryStore } from '../library/library-store';
import { speakerTurnsWithNames, transcriptWithSpeakerNames } from '../library/named-transcript';

export const EXPORT_MIME_TYPES: Record<ExportFormat, string> = {
  txt: 'text/plain; charset=utf-8',
  srt: 'application/x-subrip; charset=utf-8',
  vtt: 'text/vtt; charset=utf-8',
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  rttm: 'text/plain; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
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

/** A meeting with nothing transcribed is refused (an export would be an empty file). */
export async function renderMeetingExport(library: LibraryStore, meetingId: string, format: ExportFormat): Promise<Result<RenderedExport>> {
  const meeting = library.getMeeting(meetingId);
  if (!meeting.ok) return meeting;
  if (meeting.value.transcribedAt === null || meeting.value.segmentCount === 0) {
    return fail('MEETING_NOT_TRANSCRIBED', `Meeting "${meeting.value.title}" has no transcript to export yet.`, meetingId);
  }
  const transcript = transcriptWithSpeakerNames(library, meetingId);
  if (!transcript.ok) return transcript;
  const turns = format === 'rttm' ? speakerTurnsWithNames(library, meetingId) : ok(undefined);
  if (!turns.ok) return turns;
  const options = turns.value && turns.value.length > 0 ? { speakerTurns: turns.value } : {};
  const fileName = `${safeFileBaseName(meeting.value.title)}.${fileExtension(format)}`;
  if (!isTextExportFormat(format)) {
    const bytes = await renderDocx(transcript.value, options);
    return ok({ fileName, mimeType: EXPORT_MIME_TYPES[format], content: Buffer.from(bytes).toString('base64'), encoding: 'base64' });
  }
  return ok({ fileName, mimeType: EXPORT_MIME_TYPES[format], content: renderTranscript(transcript.value, format, options), encoding: 'utf8' });
}
