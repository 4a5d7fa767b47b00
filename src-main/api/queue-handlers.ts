/** Wire handlers for the job queue: imports, re-transcriptions, the list, cancel and retry. */
import type { AppSettings, WireHandlers } from '../../src-shared/ipc-contract';
import { parseId, parsePaths, parseSpeakerCountChoice, parseTranscriptionChoice } from '../../src-shared/ipc-validation';
import type { JobSummary, TranscriptionChoice } from '../../src-shared/jobs';
import { fail, ok, type Result } from '../../src-shared/result';
import type { JobQueue } from '../jobs/job-queue';
import type { Workspace } from '../jobs/workspace';
import { guarded } from './handler-guard';

export interface QueueHandlerDeps {
  workspace: Pick<Workspace, 'importFiles' | 'retranscribe' | 'diarize'>;
  jobs: Pick<JobQueue, 'list' | 'cancel' | 'retry' | 'clearFinished'>;
  settings: { current(): AppSettings };
}

type QueueMethods = 'importPaths' | 'listJobs' | 'cancelJob' | 'retryJob' | 'retranscribe' | 'clearFinishedJobs' | 'diarizeMeeting';

export function createQueueHandlers(deps: QueueHandlerDeps): Pick<WireHandlers, QueueMethods> {
  return {
    importPaths: guarded('importPaths', 2, ([paths, choice]) => {
      const parsedPaths = parsePaths(paths);
      if (!parsedPaths.ok) return parsedPaths;
      const parsedChoice = parseTranscriptionChoice(choice);
      if (!parsedChoice.ok) return parsedChoice;
      return acceptedJobs(deps.workspace.importFiles(parsedPaths.value, withSettings(parsedChoice.value, deps.settings.current())));
    }),
    listJobs: guarded('listJobs', 0, () => deps.jobs.list()),
    cancelJob: guarded('cancelJob', 1, ([jobId]) => {
      const id = parseId(jobId, 'jobId');
      return id.ok ? deps.jobs.cancel(id.value) : id;
    }),
    retryJob: guarded('retryJob', 1, ([jobId]) => {
      const id = parseId(jobId, 'jobId');
      return id.ok ? deps.jobs.retry(id.value) : id;
    }),
    retranscribe: guarded('retranscribe', 3, ([meetingId, choice, keepEdits]) => {
      const id = parseId(meetingId, 'meetingId');
      if (!id.ok) return id;
      const parsedChoice = parseTranscriptionChoice(choice);
      if (!parsedChoice.ok) return parsedChoice;
      if (keepEdits !== undefined && keepEdits !== null && typeof keepEdits !== 'boolean')
        return fail('IPC_BAD_REQUEST', 'keepEdits must be true or false.');
      return deps.workspace.retranscribe(
        id.value,
        withSettings(parsedChoice.value, deps.settings.current(), 'retranscribe'),
        keepEdits !== false,
      );
    }),
    clearFinishedJobs: guarded('clearFinishedJobs', 0, () => deps.jobs.clearFinished()),
    diarizeMeeting: guarded('diarizeMeeting', 2, ([meetingId, speakers]) => {
      const id = parseId(meetingId, 'meetingId');
      if (!id.ok) return id;
      const parsedSpeakers = parseSpeakerCountChoice(speakers);
      if (!parsedSpeakers.ok) return parsedSpeakers;
      return deps.workspace.diarize(id.value, parsedSpeakers.value ?? undefined);
    }),
  };
}

/**
 * The settings' model and language where the choice names none. The workspace's defaults map the local
 * model's id to its folder, so a job naming it is transcribed from there. A new import takes the settings'
 * vocabulary; a re-transcription without a prompt of its own keeps the meeting's.
 */
export function withSettings(
  choice: TranscriptionChoice,
  settings: AppSettings,
  kind: 'import' | 'retranscribe' = 'import',
): TranscriptionChoice {
  const prompt = choice.prompt ?? (kind === 'import' && settings.vocabulary.trim() ? settings.vocabulary : undefined);
  return {
    ...choice,
    modelId: choice.modelId ?? settings.modelId,
    language: choice.language !== undefined ? choice.language : settings.language,
    prompt,
  };
}

/**
 * The jobs that were queued. Each file is enqueued on its own; one that could not be (a database write
 * failed) is left out, and only when none could is the call a failure (with the first file's error).
 */
function acceptedJobs(results: readonly Result<JobSummary>[]): Result<JobSummary[]> {
  const accepted = results.flatMap((result) => (result.ok ? [result.value] : []));
  const firstFailure = results.find((result) => !result.ok);
  if (accepted.length === 0 && firstFailure && !firstFailure.ok) return firstFailure;
  return ok(accepted);
}
