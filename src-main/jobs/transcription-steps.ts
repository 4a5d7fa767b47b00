/**
 * Steps the import and re-transcribe handlers share: choosing the model, transcribing with the job's
 * progress and cancel, storing the transcript, and the meeting's status around it all.
 */
import type { TranscriptionChoice } from '../../src-shared/jobs';
import type { MeetingStatus, MeetingSummary } from '../../src-shared/library';
import { isCancelled } from '../../src-shared/errors';
import { fail, type CodedError, type Result } from '../../src-shared/result';
import type { Transcript, TranscriptSegment } from '../../src-shared/transcript';
import { assignSpeakers } from '../diarization/assign-speakers';
import type { LibraryStore, MeetingUpdate, ReplaceTranscriptOptions } from '../library/library-store';
import type { ModelDtype } from '../models/catalog';
import type { FileTranscribeRequest, FileTranscriber } from './file-transcriber';
import { isTransientJobError } from './transient-errors';
import type { JobContext } from './types';

export interface TranscriptionDefaults {
  modelId?: string | undefined;
  dtype?: ModelDtype | undefined;
  /** A local model folder for the default model (instead of the catalog's download). */
  modelDir?: string | undefined;
  /** The folder of a model the user offered by path (read at each job), or undefined for a catalog model. */
  modelDirFor?: (modelId: string) => string | undefined;
}

export function jobCancelled(what: string, subject?: string): { ok: false; error: CodedError<'CANCELLED'> } {
  return fail('CANCELLED', `${what} was cancelled.`, subject);
}

/**
 * The job's choice over the app's defaults. A job naming another model gets that catalog model: the
 * default's local folder belongs to the default model only.
 */
export function transcribeRequest(path: string, choice: TranscriptionChoice, defaults: TranscriptionDefaults): FileTranscribeRequest {
  const defaultModel = choice.modelId === undefined || choice.modelId === defaults.modelId;
  const modelId = defaultModel ? defaults.modelId : choice.modelId;
  const modelDir =
    defaultModel && defaults.modelDir !== undefined
      ? defaults.modelDir
      : modelId !== undefined
        ? defaults.modelDirFor?.(modelId)
        : undefined;
  return {
    path,
    modelId,
    modelDir,
    dtype: defaults.dtype,
    language: choice.language ?? null,
    task: choice.task ?? 'transcribe',
    prompt: choice.prompt?.trim() || undefined,
  };
}

/**
 * Transcribes with the transcriber's progress mapped onto [from, to] of the job. Model loading (whose
 * percent is a download's) shows as its own stage at `from`. Segments reach `onSegments` as Whisper
 * produces them (a preview: the transcript is stored when the whole file is done).
 */
export async function transcribeForJob(
  context: JobContext,
  transcriber: FileTranscriber,
  request: FileTranscribeRequest,
  range: { from: number; to: number },
  onSegments?: (segments: TranscriptSegment[]) => void,
): Promise<Result<Transcript>> {
  let reached = range.from;
  context.reportProgress(reached, 'transcribe');
  const result = await transcriber.transcribe(
    request,
    ({ stage, percent, segments }) => {
      if (segments !== undefined && segments.length > 0 && onSegments !== undefined) onSegments(segments);
      if (stage === 'load-model') {
        context.reportProgress(reached, 'load-model');
        return;
      }
      reached = Math.max(reached, range.from + ((range.to - range.from) * Math.min(100, Math.max(0, percent))) / 100);
      context.reportProgress(reached, 'transcribe');
    },
    context.signal,
  );
  if (context.signal.aborted) return jobCancelled(`Transcribing ${request.path}`, request.path);
  return result;
}

/**
 * Meeting fields first, then the transcript with status `ready` in its own transaction: ready means complete.
 * Who spoke when depends on the audio only, so speaker turns already found for the meeting attribute the new
 * transcript at once (a re-transcription does not need another diarization).
 */
export function storeTranscript(
  library: LibraryStore,
  meetingId: string,
  transcript: Transcript,
  update: MeetingUpdate,
  options: Pick<ReplaceTranscriptOptions, 'keepEdits' | 'keepPrevious'> = {},
): Result<MeetingSummary> {
  if (Object.keys(update).length > 0) {
    const updated = library.updateMeeting(meetingId, update);
    if (!updated.ok) return updated;
  }
  const turns = library.getSpeakerTurns(meetingId);
  if (!turns.ok) return turns;
  const attributed = turns.value.length > 0 ? { ...transcript, segments: assignSpeakers(transcript.segments, turns.value) } : transcript;
  return library.replaceTranscript(meetingId, attributed, { status: 'ready', ...options });
}

/** Marks an existing meeting `transcribing`; returns the status it had (null when there is no such meeting). */
export function markTranscribing(library: LibraryStore, meetingId: string): MeetingStatus | null {
  const meeting = library.getMeeting(meetingId);
  if (!meeting.ok) return null;
  library.updateMeeting(meetingId, { status: 'transcribing' });
  return meeting.value.status;
}

/**
 * The meeting's status after a job on it failed: `failed` when the error is permanent; untouched when the
 * queue will try again; after a cancel, what it was before (or what its transcript says, if it was stuck
 * at `transcribing` by an earlier attempt). Best effort: the job's own error is what gets reported.
 */
export function settleMeetingAfterFailure(
  library: LibraryStore,
  meetingId: string,
  error: CodedError,
  statusBefore: MeetingStatus | null,
): void {
  const meeting = library.getMeeting(meetingId);
  if (!meeting.ok) return;
  if (isCancelled(error)) {
    const fallback: MeetingStatus = meeting.value.transcribedAt !== null ? 'ready' : 'queued';
    const status = statusBefore === null || statusBefore === 'transcribing' ? fallback : statusBefore;
    library.updateMeeting(meetingId, { status });
    return;
  }
  if (isTransientJobError(error)) return;
  library.updateMeeting(meetingId, { status: 'failed', failure: error });
}
