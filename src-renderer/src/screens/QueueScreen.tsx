import { useCallback } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ErrorMessage } from '../components/ErrorMessage';
import { JobRow } from '../components/queue/JobRow';
import { isFinal } from '../store/jobs-logic';
import { useApp } from '../store/store-context';

export function QueueScreen(): React.JSX.Element {
  const { jobs, loaded, error, actionErrors, secondsLeft, clearing, cancelJob, retryJob, clearFinishedJobs, openMeeting } = useApp(
    useShallow((state) => ({
      jobs: state.jobs,
      loaded: state.jobsLoaded,
      error: state.jobsError,
      actionErrors: state.jobActionErrors,
      secondsLeft: state.jobSecondsLeft,
      clearing: state.clearingJobs,
      cancelJob: state.cancelJob,
      retryJob: state.retryJob,
      clearFinishedJobs: state.clearFinishedJobs,
      openMeeting: state.openMeeting,
    })),
  );
  const onCancel = useCallback((jobId: string) => void cancelJob(jobId), [cancelJob]);
  const onRetry = useCallback((jobId: string) => void retryJob(jobId), [retryJob]);
  const onOpenMeeting = useCallback((meetingId: string) => openMeeting(meetingId), [openMeeting]);
  const active = jobs.filter((job) => job.state === 'queued' || job.state === 'running').length;
  const finished = jobs.filter(isFinal).length;

  return (
    <section className="queue-screen" aria-labelledby="queue-title">
      <header className="screen-header">
        <h1 id="queue-title">Queue</h1>
        <span className="muted">{active === 0 ? 'Nothing running' : `${active} active`}</span>
        <button
          type="button"
          className="btn btn-small"
          data-testid="clear-finished"
          disabled={finished === 0 || clearing}
          onClick={() => void clearFinishedJobs()}
        >
          Clear finished{finished > 0 ? ` (${finished})` : ''}
        </button>
      </header>
      <ErrorMessage error={error} prefix="Could not load the queue:" />
      {loaded && jobs.length === 0 && error === null && (
        <p className="empty">No jobs yet. Imports and re-transcriptions appear here while they run.</p>
      )}
      <ul className="job-list scroll-area" aria-label="Jobs">
        {jobs.map((job) => (
          <JobRow
            key={job.id}
            job={job}
            secondsLeft={secondsLeft[job.id] ?? null}
            actionError={actionErrors[job.id] ?? null}
            onCancel={onCancel}
            onRetry={onRetry}
            onOpenMeeting={onOpenMeeting}
          />
        ))}
      </ul>
    </section>
  );
}
