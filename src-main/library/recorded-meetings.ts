/**
 * Puts each finished recording in the library: one meeting per saved session, with the live transcript
 * it committed. A recording made without live transcription is queued for transcription, and one
 * repaired after a crash (its live transcript died with the process) is imported like a dropped file.
 * A live transcript with holes (the transcriber died or fell behind and skipped audio, a pass failed) is
 * stored as it is and the recording queued for transcription, which replaces it: the file has every word.
 */
import type { ErrorCode } from '../../src-shared/errors';
import type { RecordingEvent } from '../../src-shared/recording-events';
import type { CodedError, Result } from '../../src-shared/result';
import type { TranscriptSegment } from '../../src-shared/transcript';
import type { LibraryStore } from './library-store';

export interface RecordedMeetingsDeps {
  library: LibraryStore;
  subscribe(listener: (event: RecordingEvent) => void): () => void;
  /** Queues a stored meeting for transcription (a re-transcribe job). */
  transcribeMeeting(meetingId: string): Result<unknown>;
  /** Queues a diarize job for a meeting stored with its live transcript; absent when diarization is off. */
  diarizeMeeting?(meetingId: string): Result<unknown>;
  /** Imports a recovered recording's file (an import job). */
  importRecording(path: string): Result<unknown>;
  /** Where a failure to store is reported (the store returns errors; nothing throws). */
  onError(error: CodedError): void;
  now?: () => Date;
}

/** Non-fatal errors after which the live transcript lacks audio that the file holds. */
const LIVE_TEXT_LOST: ReadonlySet<string> = new Set<ErrorCode>(['LIVE_TRANSCRIPTION_FAILED', 'ASR_FAILED', 'RECOGNIZER_DISPOSED']);

interface SessionSoFar {
  id: string;
  startedAt: Date;
  segments: TranscriptSegment[];
  /** The live transcript misses some of the recording (a gap, or a failure that cost text). */
  incomplete: boolean;
}

/** ISO 639-2 "undetermined": the live transcript heard no speech to tell the language from. */
const UNDETERMINED_LANGUAGE = 'und';

/** Starts listening; returns the unsubscribe function. */
export function storeRecordedMeetings(deps: RecordedMeetingsDeps): () => void {
  const now = deps.now ?? (() => new Date());
  let session: SessionSoFar | null = null;
  return deps.subscribe((event) => {
    if (event.type === 'status' && event.status === 'recording' && event.sessionId !== null && session?.id !== event.sessionId) {
      session = { id: event.sessionId, startedAt: now(), segments: [], incomplete: false };
    } else if (event.type === 'committed' && session !== null) {
      session.segments.push(event.segment);
    } else if (
      session !== null &&
      (event.type === 'gap' || (event.type === 'error' && !event.fatal && LIVE_TEXT_LOST.has(event.error.code)))
    ) {
      session.incomplete = true;
    } else if (event.type === 'saved') {
      const finished =
        session?.id === event.sessionId ? session : { id: event.sessionId, startedAt: now(), segments: [], incomplete: false };
      session = null;
      report(deps, storeSaved(deps, event, finished));
    } else if (event.type === 'recovered') {
      for (const recording of event.recordings) {
        const first = recording.paths[0];
        if (first !== undefined) report(deps, deps.importRecording(first));
      }
    }
  });
}

function storeSaved(deps: RecordedMeetingsDeps, event: Extract<RecordingEvent, { type: 'saved' }>, session: SessionSoFar): Result<unknown> {
  const title = `Recording ${session.startedAt.toLocaleString('sv-SE', { dateStyle: 'short', timeStyle: 'short' })}`;
  const created = deps.library.createMeeting({
    id: session.id,
    title,
    createdAt: session.startedAt,
    duration: event.seconds,
    recordingPath: event.paths[0] ?? null,
    language: event.language,
    modelId: event.modelId,
    status: 'queued',
  });
  if (!created.ok) return created;
  if (event.modelId === null) return deps.transcribeMeeting(session.id);
  const stored = deps.library.replaceTranscript(session.id, {
    source: title,
    language: event.language ?? UNDETERMINED_LANGUAGE,
    modelId: event.modelId,
    task: 'transcribe',
    duration: event.seconds,
    segments: session.segments,
  });
  if (!stored.ok) return stored;
  // The transcription's fresh transcript is diarized in turn, as an imported file's is.
  if (session.incomplete) return deps.transcribeMeeting(session.id);
  return deps.diarizeMeeting ? deps.diarizeMeeting(session.id) : stored;
}

function report(deps: RecordedMeetingsDeps, result: Result<unknown>): void {
  if (!result.ok) deps.onError(result.error);
}
