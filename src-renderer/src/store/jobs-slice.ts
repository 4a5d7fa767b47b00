/** Background jobs (imports, re-transcriptions, exports), kept current by job events. */
import type { JobEvent, JobSummary } from '../../../src-shared/jobs';
import type { CodedError } from '../../../src-shared/result';
import { applyJobEvent, jobEventAffectsLibrary, sortJobsNewestFirst, upsertJobs } from './jobs-logic';
import { addSample, secondsLeft, type ProgressSample } from './progress-eta';
import type { SliceCreator } from './types';

export interface JobsSlice {
  jobs: readonly JobSummary[];
  jobsLoaded: boolean;
  jobsError: CodedError | null;
  /** The last failed cancel/retry per job, shown on its row. */
  jobActionErrors: Readonly<Record<string, CodedError>>;
  /** Seconds left per running job, once its pace is known. */
  jobSecondsLeft: Readonly<Record<string, number>>;
  clearingJobs: boolean;
  loadJobs(): Promise<void>;
  addJobs(jobs: readonly JobSummary[]): void;
  applyJobEvent(event: JobEvent): void;
  cancelJob(jobId: string): Promise<void>;
  retryJob(jobId: string): Promise<void>;
  clearFinishedJobs(): Promise<void>;
}

export const createJobsSlice: SliceCreator<JobsSlice> = (set, get, api) => {
  const samples = new Map<string, ProgressSample[]>();

  /** Progress reports feed the time-left estimate; a job that stops running forgets its samples. */
  function trackPace(event: JobEvent): void {
    if (event.type === 'progress') {
      const next = addSample(samples.get(event.jobId) ?? [], { at: Date.now(), progress: event.progress });
      samples.set(event.jobId, next);
      const left = secondsLeft(next);
      if (left !== null) set((state) => ({ jobSecondsLeft: { ...state.jobSecondsLeft, [event.jobId]: left } }));
      return;
    }
    const gone = event.type === 'removed' ? event.jobIds : event.job.state === 'running' ? [] : [event.job.id];
    if (gone.length === 0 || !gone.some((id) => samples.has(id) || id in get().jobSecondsLeft)) return;
    for (const id of gone) samples.delete(id);
    set((state) => ({ jobSecondsLeft: Object.fromEntries(Object.entries(state.jobSecondsLeft).filter(([id]) => !gone.includes(id))) }));
  }

  function recordAction(jobId: string, outcome: { ok: true; value: JobSummary } | { ok: false; error: CodedError }): void {
    set((state) => {
      const others = Object.fromEntries(Object.entries(state.jobActionErrors).filter(([id]) => id !== jobId));
      if (outcome.ok) return { jobs: upsertJobs(state.jobs, [outcome.value]), jobActionErrors: others };
      return { jobActionErrors: { ...others, [jobId]: outcome.error } };
    });
  }

  return {
    jobs: [],
    jobsLoaded: false,
    jobsError: null,
    jobActionErrors: {},
    jobSecondsLeft: {},
    clearingJobs: false,
    async loadJobs() {
      const result = await api.listJobs();
      if (result.ok) set({ jobs: sortJobsNewestFirst(result.value), jobsLoaded: true, jobsError: null });
      else set({ jobsLoaded: true, jobsError: result.error });
    },
    addJobs(jobs) {
      set((state) => ({ jobs: upsertJobs(state.jobs, jobs) }));
    },
    applyJobEvent(event) {
      const jobs = get().jobs;
      const next = applyJobEvent(jobs, event);
      if (next !== jobs) set({ jobs: next });
      trackPace(event);
      if (!jobEventAffectsLibrary(event) || event.type !== 'changed') return;
      void get().loadMeetings();
      // The open meeting follows its jobs: progress starts, the transcript or a failure arrives.
      const openMeetingId = get().meetingView.meetingId;
      if (openMeetingId !== null && event.job.meetingId === openMeetingId) void get().loadMeeting(openMeetingId);
    },
    async cancelJob(jobId) {
      recordAction(jobId, await api.cancelJob(jobId));
    },
    async retryJob(jobId) {
      recordAction(jobId, await api.retryJob(jobId));
    },
    async clearFinishedJobs() {
      set({ clearingJobs: true });
      const result = await api.clearFinishedJobs();
      set({ clearingJobs: false });
      if (!result.ok) {
        get().pushNotice(`Could not clear the finished jobs: ${result.error.message}`, 'error');
        return;
      }
      // The engine's `removed` event does this too; a client that missed it still ends up with the same list.
      set((state) => ({ jobs: state.jobs.filter((job) => job.state === 'queued' || job.state === 'running') }));
    },
  };
};
