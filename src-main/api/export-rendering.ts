/** A meeting's transcript rendered for the client to save: file name, MIME type and text. */
import type { ExportFormat, RenderedExport } from '../../src-shared/ipc-contract';
import { fail, ok, type Result } from '../../src-shared/result';
import { fileExtension, isTextExportFormat, renderDocx, renderTranscript } from '../export';
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
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

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
  const fileName = safeFileName(meeting.value.title, { extension: fileExtension(format), fallback: 'transcript' });
  if (!isTextExportFormat(format)) {
    const bytes = await renderDocx(transcript.value, options);
    return ok({ fileName, mimeType: EXPORT_MIME_TYPES[format], content: Buffer.from(bytes).toString('base64'), encoding: 'base64' });
  }
  return ok({
    fileName,
    mimeType: EXPORT_MIME_TYPES[format],
    content: renderTranscript(transcript.value, format, options),
    encoding: 'utf8',
  });
}
