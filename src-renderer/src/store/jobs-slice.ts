/** Background jobs (imports, re-transcriptions, exports), kept current by job events. */
import type { JobEvent, JobSummary } from '../../../src-shared/jobs';
import type { CodedError } from '../../../src-shared/result';
import { applyJobEvent, jobEventAffectsLibrary, sortJobsNewestFirst, upsertJobs } from './jobs-logic';
import type { SliceCreator } from './types';

export interface JobsSlice {
  jobs: readonly JobSummary[];
  jobsLoaded: boolean;
  jobsError: CodedError | null;
  /** The last failed cancel/retry per job, shown on its row. */
  jobActionErrors: Readonly<Record<string, CodedError>>;
  loadJobs(): Promise<void>;
  addJobs(jobs: readonly JobSummary[]): void;
  applyJobEvent(event: JobEvent): void;
  cancelJob(jobId: string): Promise<void>;
  retryJob(jobId: string): Promise<void>;
}

export const createJobsSlice: SliceCreator<JobsSlice> = (set, get, api) => {
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
      if (!jobEventAffectsLibrary(event) || event.type !== 'changed') return;
      void get().loadMeetings();
      const openMeetingId = get().meetingView.meetingId;
      if (event.job.state === 'succeeded' && openMeetingId !== null && event.job.meetingId === openMeetingId) {
        void get().loadMeeting(openMeetingId);
      }
    },
    async cancelJob(jobId) {
      recordAction(jobId, await api.cancelJob(jobId));
    },
    async retryJob(jobId) {
      recordAction(jobId, await api.retryJob(jobId));
    },
  };
};
