/**
 * Diarize job: who spoke when in the meeting's audio, then every transcript segment attributed to its
 * speaker (split where the speaker changes inside it). Turns and transcript are stored in one transaction,
 * so a rerun replaces rather than doubles, and a half-done run is never visible. Speaker names the user gave
 * stay with their label.
 */
import { errorMessage } from '../../src-shared/errors';
import type { DiarizeJobPayload, JobResult } from '../../src-shared/jobs';
import { fail, ok, type Result } from '../../src-shared/result';
import { assignSpeakers } from '../diarization/assign-speakers';
import type { FileDiarizer } from '../diarization/file-diarizer';
import type { AudioDecoder } from '../audio/types';
import type { LibraryStore } from '../library/library-store';
import { isChannelSeparated, labelSeparated, nameUserSpeaker, YOU_LABEL } from './channel-speakers';
import { jobCancelled } from './transcription-steps';
import type { JobContext, JobHandler } from './types';

const PROGRESS = { validate: 0, models: 2, diarize: 5, store: 95 } as const;

export interface DiarizeHandlerDeps {
  library: LibraryStore;
  diarizer: FileDiarizer | null;
  /** Reads the media's channel count (a separated meeting is diarized on its second channel only). */
  decoder?: AudioDecoder;
  userName?: () => string;
}

export function createDiarizeHandler(deps: DiarizeHandlerDeps): JobHandler {
  return async (context) => {
    const payload = context.job.payload;
    if (payload.kind !== 'diarize') return fail('JOB_INVALID', `The diarize handler cannot run a ${payload.kind} job.`, context.job.id);
    try {
      return await diarize(deps, context, payload);
    } catch (error) {
      return fail(
        'JOB_HANDLER_FAILED',
        `Diarizing meeting ${payload.meetingId} failed unexpectedly: ${errorMessage(error)}`,
        payload.meetingId,
      );
    }
  };
}

async function diarize(deps: DiarizeHandlerDeps, context: JobContext, payload: DiarizeJobPayload): Promise<Result<JobResult>> {
  const { meetingId } = payload;
  if (deps.diarizer === null) return fail('DIARIZATION_UNAVAILABLE', 'Speaker diarization is not set up in this build.', meetingId);
  const meeting = deps.library.getMeeting(meetingId);
  if (!meeting.ok) return meeting;
  const { recordingPath, title } = meeting.value;
  if (recordingPath === null) return fail('MEETING_NO_MEDIA', `Meeting "${title}" has no audio to diarize.`, meetingId);
  context.reportProgress(PROGRESS.validate, 'validate');
  // A meeting whose channels were transcribed apart keeps the user's channel as it is; only the others' is diarized.
  const previousTurns = deps.library.getSpeakerTurns(meetingId);
  const youTurns =
    previousTurns.ok && isChannelSeparated(previousTurns.value) ? previousTurns.value.filter((turn) => turn.speaker === YOU_LABEL) : [];
  let separated = false;
  if (youTurns.length > 0 && deps.decoder) {
    const probe = await deps.decoder.probe(recordingPath);
    separated = probe.ok && probe.value.channels >= 2;
  }

  const span = PROGRESS.store - PROGRESS.diarize;
  const diarized = await deps.diarizer.diarize(
    { path: recordingPath, speakers: payload.speakers, channel: separated ? 1 : undefined },
    ({ stage, percent }) => {
      if (stage === 'load-models') context.reportProgress(PROGRESS.models, 'load-models');
      else context.reportProgress(PROGRESS.diarize + (span * percent) / 100, 'diarize');
    },
    context.signal,
  );
  if (context.signal.aborted) return jobCancelled(`Diarizing "${title}"`, meetingId);
  if (!diarized.ok) return diarized.error.code === 'CANCELLED' ? jobCancelled(`Diarizing "${title}"`, meetingId) : diarized;

  context.reportProgress(PROGRESS.store, 'store');
  // Read just before writing: the transcript as it is now (a re-transcription may have finished meanwhile).
  const current = deps.library.getMeeting(meetingId);
  if (!current.ok) return current;
  const turns = separated
    ? [...youTurns, ...diarized.value.turns].sort((a, b) => a.start - b.start || a.end - b.end)
    : diarized.value.turns;
  if (current.value.transcribedAt === null) {
    // Not transcribed yet: keep the turns; the transcription that follows is attributed by the next run.
    const stored = deps.library.replaceSpeakerTurns(meetingId, turns);
    if (!stored.ok) return stored;
    context.reportProgress(100, 'store');
    return ok({ kind: 'diarize', meetingId, segmentCount: 0 });
  }
  const transcript = deps.library.getTranscript(meetingId);
  if (!transcript.ok) return transcript;
  const segments = separated
    ? labelSeparated(transcript.value.segments, diarized.value.turns)
    : assignSpeakers(transcript.value.segments, diarized.value.turns);
  const stored = deps.library.replaceTranscript(
    meetingId,
    { ...transcript.value, segments },
    { status: current.value.status, speakerTurns: turns },
  );
  if (!stored.ok) return stored;
  if (separated) nameUserSpeaker(deps.library, meetingId, deps.userName?.() ?? '');
  context.reportProgress(100, 'store');
  return ok({ kind: 'diarize', meetingId, segmentCount: segments.length });
}
