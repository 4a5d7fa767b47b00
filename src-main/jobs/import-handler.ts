/**
 * Import job: validate the file (bad input fails at once, naming the file), extract its audio as the
 * meeting's playable Opus copy, transcribe that copy off the main thread, then store meeting, media and
 * transcript. Reruns of the same job (retries) replace what an earlier attempt stored, never double it.
 */
import { mkdir, rm } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { errorMessage } from '../../src-shared/errors';
import type { ImportJobPayload, JobResult } from '../../src-shared/jobs';
import type { MeetingSummary } from '../../src-shared/library';
import { fail, ok, type CodedError, type Result } from '../../src-shared/result';
import type { Transcript } from '../../src-shared/transcript';
import { DEFAULT_USER_NAME, storeSeparated, transcribeChannelsForJob, type SeparatedTranscription } from './channel-speakers';
import { extractPlayableAudio } from './extract-audio';
import type { JobHandlerDeps } from './handler-deps';
import { moveFileAtomic } from './media-files';
import {
  jobCancelled,
  markTranscribing,
  settleMeetingAfterFailure,
  storeTranscript,
  transcribeForJob,
  transcribeRequest,
} from './transcription-steps';
import type { JobContext, JobHandler } from './types';

/** Where each stage starts on the job's 0–100. */
const PROGRESS = { validate: 0, decode: 2, transcribe: 20, store: 95 } as const;
const EXTRACTED_AUDIO_NAME = 'audio.ogg';
/** The meeting id becomes a file name; enqueued ids are UUIDs. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

export function createImportHandler(deps: JobHandlerDeps): JobHandler {
  return async (context) => {
    const { job } = context;
    const payload = job.payload;
    if (payload.kind !== 'import') return fail('JOB_INVALID', `The import handler cannot run a ${payload.kind} job.`, job.id);
    const meetingId = job.meetingId;
    if (meetingId === null || !SAFE_ID.test(meetingId))
      return fail('JOB_INVALID', `Import job ${job.id} has no usable meeting id.`, job.id);
    const audioPath = join(context.tempDir, EXTRACTED_AUDIO_NAME);
    const statusBefore = markTranscribing(deps.library, meetingId);
    deps.drafts?.begin(meetingId, job.id);
    let result: Result<JobResult>;
    try {
      result = await importFile(deps, context, payload, meetingId, audioPath);
    } catch (error) {
      result = fail('JOB_HANDLER_FAILED', `Importing ${payload.path} failed unexpectedly: ${errorMessage(error)}`, payload.path);
    } finally {
      deps.drafts?.end(meetingId);
    }
    if (!result.ok) {
      await removeQuietly(audioPath);
      settleMeetingAfterFailure(deps.library, meetingId, result.error, statusBefore);
    }
    return result;
  };
}

async function importFile(
  deps: JobHandlerDeps,
  context: JobContext,
  payload: ImportJobPayload,
  meetingId: string,
  audioPath: string,
): Promise<Result<JobResult>> {
  const { signal } = context;
  const sourcePath = resolve(payload.path);
  context.reportProgress(PROGRESS.validate, 'validate');
  const probe = await deps.decoder.probe(sourcePath);
  if (!probe.ok) return { ok: false, error: probe.error };
  if (signal.aborted) return jobCancelled(`Importing ${sourcePath}`, sourcePath);

  // Separated channels keep both in the playable copy: re-transcriptions and diarizations read it again.
  const separate = payload.channels === 'separate' && probe.value.channels >= 2;
  context.reportProgress(PROGRESS.decode, 'decode');
  const extracted = await extractPlayableAudio({
    ffmpegPath: deps.ffmpegPath,
    input: probe.value,
    outPath: audioPath,
    channels: separate ? 2 : 1,
    signal,
    onProgress: (fraction) => context.reportProgress(PROGRESS.decode + fraction * (PROGRESS.transcribe - PROGRESS.decode), 'decode'),
  });
  if (!extracted.ok) return extracted;

  const request = transcribeRequest(audioPath, payload, deps.defaults);
  const range = { from: PROGRESS.transcribe, to: PROGRESS.store };
  let transcribed: Result<Transcript | SeparatedTranscription>;
  if (separate)
    transcribed = await transcribeChannelsForJob(
      context,
      { transcriber: deps.transcriber, diarizer: deps.diarizer ?? null },
      request,
      range,
    );
  else
    transcribed = await transcribeForJob(context, deps.transcriber, request, range, (segments) =>
      deps.drafts?.append(meetingId, context.job.id, segments),
    );
  if (!transcribed.ok) return naming(transcribed, audioPath, sourcePath);
  if (signal.aborted) return jobCancelled(`Importing ${sourcePath}`, sourcePath);

  // From here the job finishes: storing takes milliseconds, and stopping halfway would only leave work to undo.
  context.reportProgress(PROGRESS.store, 'store');
  const title = payload.title?.trim() || basename(sourcePath, extname(sourcePath));
  const stored = await storeImport(deps, meetingId, sourcePath, title, audioPath, transcribed.value, request.prompt);
  if (!stored.ok) return stored;
  context.reportProgress(100, 'store');
  return ok({ kind: 'import', meetingId, segmentCount: stored.value.segmentCount });
}

async function storeImport(
  deps: JobHandlerDeps,
  meetingId: string,
  sourcePath: string,
  title: string,
  audioPath: string,
  transcribed: Transcript | SeparatedTranscription,
  prompt: string | undefined,
): Promise<Result<MeetingSummary>> {
  const existing = deps.library.getMeeting(meetingId);
  if (!existing.ok) {
    if (existing.error.code !== 'MEETING_NOT_FOUND') return existing;
    const created = deps.library.createMeeting({ id: meetingId, title, sourceFile: sourcePath, status: 'transcribing' });
    if (!created.ok && created.error.code !== 'MEETING_EXISTS') return created;
  }
  const mediaDir = resolve(deps.mediaDir);
  try {
    await mkdir(mediaDir, { recursive: true });
  } catch (error) {
    return fail('MEDIA_WRITE_FAILED', `Cannot create the media folder ${mediaDir}: ${errorMessage(error)}`, mediaDir);
  }
  const mediaPath = join(mediaDir, `${meetingId}.ogg`);
  const moved = await moveFileAtomic(audioPath, mediaPath);
  if (!moved.ok) return moved;
  // A meeting enqueued with its own title (or renamed since) keeps it.
  const meetingTitle = existing.ok ? existing.value.title : title;
  const update = { recordingPath: mediaPath, sourceFile: sourcePath, prompt: prompt ?? null };
  if ('turns' in transcribed) {
    const separated = { ...transcribed, transcript: { ...transcribed.transcript, source: meetingTitle } };
    return storeSeparated(deps.library, meetingId, separated, update, deps.userName?.() ?? DEFAULT_USER_NAME);
  }
  return storeTranscript(deps.library, meetingId, { ...transcribed, source: meetingTitle }, update);
}

/** Errors about the extracted copy are reported against the file the user imported. */
function naming<T>(failure: { ok: false; error: CodedError }, audioPath: string, sourcePath: string): Result<T> {
  const { code, message, subject } = failure.error;
  const described = message.split(audioPath).join(`the audio of ${sourcePath}`);
  return fail(code, described, subject === undefined || subject === audioPath ? sourcePath : subject);
}

async function removeQuietly(path: string): Promise<void> {
  await rm(path, { force: true }).catch(() => undefined);
}
