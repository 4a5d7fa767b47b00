import { memo } from 'react';
import type { JobKind, JobState, JobSummary } from '../../../../src-shared/jobs';
import type { CodedError } from '../../../../src-shared/result';
import { describeError } from '../../store/error-text';
import { formatClockTime } from '../../store/format';
import { canCancel, canRetry } from '../../store/jobs-logic';
import { ErrorMessage } from '../ErrorMessage';
import { ProgressBar } from '../ProgressBar';

const KIND_LABELS: Record<JobKind, string> = {
  import: 'Import',
  retranscribe: 'Re-transcribe',
  export: 'Export',
  diarize: 'Speakers',
};

const STATE_LABELS: Record<JobState, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const STAGE_LABELS: Readonly<Record<string, string>> = {
  validate: 'Checking the file',
  'load-model': 'Loading the model',
  decode: 'Reading the audio',
  transcribe: 'Transcribing',
  store: 'Saving',
  export: 'Writing files',
};

function stageLabel(stage: string): string {
  return STAGE_LABELS[stage] ?? stage.charAt(0).toUpperCase() + stage.slice(1);
}

interface JobRowProps {
  job: JobSummary;
  actionError: CodedError | null;
  onCancel(jobId: string): void;
  onRetry(jobId: string): void;
  onOpenMeeting(meetingId: string): void;
}

export const JobRow = memo(function JobRow({ job, actionError, onCancel, onRetry, onOpenMeeting }: JobRowProps) {
  const meetingId = job.result?.meetingId ?? job.meetingId;
  const waitingForRetry = job.state === 'queued' && job.nextRunAt !== null;
  const showError = job.lastError !== null && job.state !== 'succeeded';
  return (
    <li className={`job-row job-${job.state}`} data-testid="job-row" data-job-id={job.id} data-state={job.state}>
      <div className="job-head">
        <span className="job-kind">{KIND_LABELS[job.kind]}</span>
        <span className="job-title" title={job.title}>
          {job.title}
        </span>
        <span className={`badge badge-job-${job.state}`}>{job.cancelRequested ? 'Cancelling…' : STATE_LABELS[job.state]}</span>
      </div>
      <ProgressBar value={job.progress} label={`${job.title} progress`} testId="job-progress" />
      <div className="job-details">
        <span>{job.state === 'running' && job.stage !== null ? stageLabel(job.stage) : `${Math.round(job.progress)} %`}</span>
        {job.attempts > 0 && (
          <span>
            Attempt {job.attempts} of {job.maxAttempts}
          </span>
        )}
        {waitingForRetry && job.nextRunAt !== null && <span>Retrying at {formatClockTime(job.nextRunAt)}</span>}
      </div>
      {showError && job.lastError !== null && (
        <p className="error-text" data-testid="job-error" data-error-code={job.lastError.code}>
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
        {job.state === 'succeeded' && meetingId !== null && job.kind !== 'export' && (
          <button type="button" className="btn btn-small" onClick={() => onOpenMeeting(meetingId)}>
            Open meeting
          </button>
        )}
      </div>
    </li>
  );
});
