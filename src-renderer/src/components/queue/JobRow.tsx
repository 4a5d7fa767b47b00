import { memo } from 'react';
import type { JobSummary } from '../../../../src-shared/jobs';
import type { CodedError } from '../../../../src-shared/result';
import { describeError } from '../../store/error-text';
import { formatClockTime } from '../../store/format';
import { JOB_KIND_LABELS, JOB_STATE_LABELS, stageLabel } from '../../store/job-labels';
import { canCancel, canRetry } from '../../store/jobs-logic';
import { formatTimeLeft } from '../../store/progress-eta';
import { ErrorMessage } from '../ErrorMessage';
import { ProgressBar } from '../ProgressBar';

interface JobRowProps {
  job: JobSummary;
  /** Once the job's pace is known. */
  secondsLeft: number | null;
  actionError: CodedError | null;
  onCancel(jobId: string): void;
  onRetry(jobId: string): void;
  onOpenMeeting(meetingId: string): void;
}

/** What the row says under its bar: the stage, how far, how long; retries only when there were any. */
function jobDetails(job: JobSummary, secondsLeft: number | null): string[] {
  const percent = `${Math.round(job.progress)} %`;
  const details: string[] = [];
  if (job.state === 'running') {
    details.push(job.stage !== null ? stageLabel(job.stage) : 'Starting');
    details.push(percent);
    const left = formatTimeLeft(secondsLeft);
    if (left !== null) details.push(left);
  } else if (job.state === 'queued') {
    details.push(job.nextRunAt !== null ? `Trying again at ${formatClockTime(job.nextRunAt)}` : 'Waiting for its turn');
  } else if (job.state === 'succeeded' && job.finishedAt !== null) {
    details.push(`Finished at ${formatClockTime(job.finishedAt)}`);
  }
  if (job.attempts > 1 && job.state !== 'succeeded') details.push(`Attempt ${job.attempts} of ${job.maxAttempts}`);
  return details;
}

export const JobRow = memo(function JobRow({ job, secondsLeft, actionError, onCancel, onRetry, onOpenMeeting }: JobRowProps) {
  const meetingId = job.result?.meetingId ?? job.meetingId;
  const waitingForRetry = job.state === 'queued' && job.nextRunAt !== null;
  const showError = job.lastError !== null && job.state !== 'succeeded';
  return (
    <li className={`job-row job-${job.state}`} data-testid="job-row" data-job-id={job.id} data-state={job.state}>
      <div className="job-head">
        <span className="job-kind">{JOB_KIND_LABELS[job.kind]}</span>
        <span className="job-title" title={job.title}>
          {job.title}
        </span>
        <span className={`badge badge-job-${job.state}`}>{job.cancelRequested ? 'Cancelling…' : JOB_STATE_LABELS[job.state]}</span>
      </div>
      {(job.state === 'running' || job.state === 'queued') && (
        <ProgressBar value={job.progress} label={`${job.title} progress`} testId="job-progress" />
      )}
      {job.state === 'succeeded' && <ProgressBar value={100} label={`${job.title} progress`} testId="job-progress" />}
      <div className="job-details" data-testid="job-details">
        {jobDetails(job, secondsLeft).map((detail) => (
          <span key={detail}>{detail}</span>
        ))}
      </div>
      {showError && job.lastError !== null && (
        <p
          className="error-text"
          data-testid="job-error"
          data-error-code={job.lastError.code}
          title={`${job.lastError.code}: ${job.lastError.message}`}
        >
          {waitingForRetry ? 'Last attempt failed: ' : ''}
          {describeError(job.lastError)}
        </p>
      )}
      {job.result?.kind === 'export' && (
        <ul className="job-files">
          {job.result.files.map((file) => (
            <li key={file}>
              <code>{file}</code>
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={actionError} />
      <div className="job-actions">
        {canCancel(job) && (
          <button type="button" className="btn btn-small" data-testid="job-cancel" onClick={() => onCancel(job.id)}>
            Cancel
          </button>
        )}
        {canRetry(job) && (
          <button type="button" className="btn btn-small btn-primary" data-testid="job-retry" onClick={() => onRetry(job.id)}>
            Retry
          </button>
        )}
        {meetingId !== null && job.kind !== 'export' && (job.state === 'succeeded' || job.state === 'failed') && (
          <button type="button" className="btn btn-small" data-testid="job-open-meeting" onClick={() => onOpenMeeting(meetingId)}>
            Open meeting
          </button>
        )}
      </div>
    </li>
  );
});
