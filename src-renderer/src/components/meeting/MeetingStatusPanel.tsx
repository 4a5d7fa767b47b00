import type { JobSummary } from '../../../../src-shared/jobs';
import type { MeetingSummary } from '../../../../src-shared/library';
import { describeError } from '../../store/error-text';
import { JOB_ACTIVITY, stageLabel } from '../../store/job-labels';
import { isRetryableError } from '../../store/jobs-logic';
import { formatTimeLeft } from '../../store/progress-eta';
import { useApp } from '../../store/store-context';
import { ProgressBar } from '../ProgressBar';

/** Work running on the open meeting: what it does, how far, how long. Follows the job's live progress. */
export function MeetingProgress({ activeJob }: { activeJob: JobSummary }): React.JSX.Element {
  const job = useApp((state) => state.jobs.find((candidate) => candidate.id === activeJob.id) ?? activeJob);
  const secondsLeft = useApp((state) => state.jobSecondsLeft[activeJob.id] ?? null);
  const left = job.state === 'running' ? formatTimeLeft(secondsLeft) : null;
  const stage = job.stage === null ? 'Starting' : stageLabel(job.stage);
  const detail =
    job.state === 'queued'
      ? 'Waiting for its turn in the queue'
      : [stage === JOB_ACTIVITY[job.kind] ? null : stage, `${Math.round(job.progress)} %`, left].filter(Boolean).join(' · ');
  return (
    <section className="meeting-progress" role="status" aria-label={`${JOB_ACTIVITY[job.kind]} progress`} data-testid="meeting-progress">
      <div className="meeting-progress-text">
        <strong>{JOB_ACTIVITY[job.kind]}…</strong> <span data-testid="meeting-progress-detail">{detail}</span>
      </div>
      <ProgressBar value={job.progress} label={`${JOB_ACTIVITY[job.kind]} this meeting`} testId="meeting-progress-bar" />
    </section>
  );
}

/** Why the meeting has no transcript, and the ways on: try again when that can help, or delete it. */
export function MeetingFailure({ meeting }: { meeting: MeetingSummary }): React.JSX.Element {
  const failedJob = useApp((state) => state.jobs.find((job) => job.meetingId === meeting.id && job.state === 'failed') ?? null);
  const retryJob = useApp((state) => state.retryJob);
  const deleteMeeting = useApp((state) => state.deleteMeeting);
  const failure = meeting.failure ?? failedJob?.lastError ?? null;
  const retryable = failedJob !== null && isRetryableError(failedJob.lastError?.code);
  return (
    <section className="meeting-failure" role="alert" data-testid="meeting-failure" data-error-code={failure?.code}>
      <p>
        <strong>Transcription failed.</strong> {failure === null ? 'The reason was not recorded.' : describeError(failure)}
        {failure?.subject !== undefined && <span className="muted"> ({failure.subject})</span>}
      </p>
      <div className="meeting-failure-actions">
        {retryable && failedJob !== null && (
          <button type="button" className="btn btn-small btn-primary" onClick={() => void retryJob(failedJob.id)}>
            Try again
          </button>
        )}
        <button type="button" className="btn btn-small" data-testid="meeting-failure-delete" onClick={() => deleteMeeting(meeting.id)}>
          Delete this meeting
        </button>
      </div>
    </section>
  );
}
