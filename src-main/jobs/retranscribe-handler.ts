/**
 * Re-transcribe job: the meeting's media file again, with another model or language; the new transcript
 * replaces the old one in one transaction (until then, readers keep seeing the old one). Without a prompt of
 * its own, the job uses the one the meeting was transcribed with.
 */
import { errorMessage } from '../../src-shared/errors';
import type { JobResult, RetranscribeJobPayload } from '../../src-shared/jobs';
import { fail, ok, type Result } from '../../src-shared/result';
import { DEFAULT_USER_NAME, isChannelSeparated, storeSeparated, transcribeChannelsForJob } from './channel-speakers';
import type { JobHandlerDeps } from './handler-deps';
import {
  jobCancelled,
  markTranscribing,
  settleMeetingAfterFailure,
  storeTranscript,
  transcribeForJob,
  transcribeRequest,
} from './transcription-steps';
import type { JobContext, JobHandler } from './types';

const PROGRESS = { validate: 0, transcribe: 3, store: 95 } as const;

export function createRetranscribeHandler(deps: JobHandlerDeps): JobHandler {
  return async (context) => {
    const { job } = context;
    const payload = job.payload;
    if (payload.kind !== 'retranscribe') return fail('JOB_INVALID', `The re-transcribe handler cannot run a ${payload.kind} job.`, job.id);
    const meeting = deps.library.getMeeting(payload.meetingId);
    if (!meeting.ok) return meeting;
    const statusBefore = markTranscribing(deps.library, payload.meetingId);
    let result: Result<JobResult>;
    try {
      const prompt = payload.prompt ?? meeting.value.prompt ?? undefined;
      result = await retranscribe(deps, context, { ...payload, prompt }, meeting.value.recordingPath, meeting.value.title);
    } catch (error) {
      result = fail(
        'JOB_HANDLER_FAILED',
        `Re-transcribing meeting ${payload.meetingId} failed unexpectedly: ${errorMessage(error)}`,
        payload.meetingId,
      );
    }
    if (!result.ok) settleMeetingAfterFailure(deps.library, payload.meetingId, result.error, statusBefore);
    return result;
  };
}

async function retranscribe(
  deps: JobHandlerDeps,
  context: JobContext,
  payload: RetranscribeJobPayload,
  mediaPath: string | null,
  title: string,
): Promise<Result<JobResult>> {
  const { meetingId } = payload;
  if (mediaPath === null) return fail('MEETING_NO_MEDIA', `Meeting "${title}" has no audio to transcribe.`, meetingId);
  context.reportProgress(PROGRESS.validate, 'validate');
  // A moved or damaged media file fails here in seconds, before a model is loaded.
  const probe = await deps.decoder.probe(mediaPath);
  if (!probe.ok) return { ok: false, error: probe.error };
  if (context.signal.aborted) return jobCancelled(`Re-transcribing "${title}"`, meetingId);

  const request = transcribeRequest(mediaPath, payload, deps.defaults);
  // Channels stay separated once they were (unless the job says 'mix'), and a job may ask for it.
  const turns = deps.library.getSpeakerTurns(meetingId);
  const wasSeparated = turns.ok && isChannelSeparated(turns.value);
  if ((payload.channels === 'separate' || (payload.channels === undefined && wasSeparated)) && probe.value.channels >= 2) {
    const separated = await transcribeChannelsForJob(context, { transcriber: deps.transcriber, diarizer: deps.diarizer ?? null }, request, {
      from: PROGRESS.transcribe,
      to: PROGRESS.store,
    });
    if (!separated.ok) return separated;
    if (context.signal.aborted) return jobCancelled(`Re-transcribing "${title}"`, meetingId);
    context.reportProgress(PROGRESS.store, 'store');
    const stored = storeSeparated(
      deps.library,
      meetingId,
      { ...separated.value, transcript: { ...separated.value.transcript, source: title } },
      {},
      deps.userName?.() ?? DEFAULT_USER_NAME,
    );
    if (!stored.ok) return stored;
    context.reportProgress(100, 'store');
    return ok({ kind: 'retranscribe', meetingId, segmentCount: stored.value.segmentCount });
  }
  const transcribed = await transcribeForJob(context, deps.transcriber, request, { from: PROGRESS.transcribe, to: PROGRESS.store });
  if (!transcribed.ok) return transcribed;
  if (context.signal.aborted) return jobCancelled(`Re-transcribing "${title}"`, meetingId);

  context.reportProgress(PROGRESS.store, 'store');
  // The transcript replaced is kept for an undo; hand edits are carried over unless the user chose otherwise.
  const stored = storeTranscript(
    deps.library,
    meetingId,
    { ...transcribed.value, source: title },
    { prompt: request.prompt ?? null },
    { keepEdits: payload.keepEdits !== false, keepPrevious: true },
  );
  if (!stored.ok) return stored;
  context.reportProgress(100, 'store');
  return ok({ kind: 'retranscribe', meetingId, segmentCount: stored.value.segmentCount });
}
