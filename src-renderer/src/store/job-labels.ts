/** Jobs in plain words: their kinds, states and stages as the queue and the meeting view show them. */
import type { JobKind, JobState } from '../../../src-shared/jobs';

export const JOB_KIND_LABELS: Record<JobKind, string> = {
  import: 'Import',
  retranscribe: 'Re-transcribe',
  export: 'Export',
  diarize: 'Speakers',
};

/** What a job on a meeting is doing, as the meeting view's progress says it. */
export const JOB_ACTIVITY: Record<JobKind, string> = {
  import: 'Transcribing',
  retranscribe: 'Re-transcribing',
  export: 'Exporting',
  diarize: 'Finding speakers',
};

export const JOB_STATE_LABELS: Record<JobState, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const STAGE_LABELS: Readonly<Record<string, string>> = {
  validate: 'Checking the file',
  probe: 'Checking the file',
  'load-model': 'Loading the speech model',
  'load-models': 'Loading the speaker models',
  decode: 'Reading the audio',
  vad: 'Finding speech',
  transcribe: 'Transcribing',
  diarize: 'Telling speakers apart',
  store: 'Saving',
  export: 'Writing files',
};

/** A stage the engine names in code ("load-models") in words ("Loading the speaker models"). */
export function stageLabel(stage: string): string {
  const known = STAGE_LABELS[stage];
  if (known !== undefined) return known;
  const words = stage.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
