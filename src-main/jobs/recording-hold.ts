/**
 * While a live recording runs, no queued job starts and the idle engine child is ended at once: on two cores
 * the live transcript needs both (a job's Whisper beside the live one made commits fall behind), and the
 * machine holds one copy of the model, the recording's, instead of two. A job already running goes on; what
 * was queued runs once the recording has stopped (after its own follow-up jobs are queued).
 */
import type { FileTranscriber } from './file-transcriber';
import type { JobQueue } from './job-queue';
import type { RecordingEventSource } from './workspace';

/** Returns the unsubscribe (which also lifts a hold in place). */
export function holdJobsWhileRecording(
  engine: RecordingEventSource,
  jobs: Pick<JobQueue, 'holdClaims'>,
  engines: readonly Pick<FileTranscriber, 'releaseIdle'>[],
): () => void {
  let release: (() => void) | null = null;
  const unsubscribe = engine.onRecordingEvent((event) => {
    if (event.type !== 'status') return;
    if (event.status === 'recording' && release === null) {
      release = jobs.holdClaims();
      for (const idle of new Set(engines)) idle.releaseIdle?.();
    } else if (event.status === 'idle' && release !== null) {
      release();
      release = null;
    }
  });
  return () => {
    unsubscribe();
    release?.();
    release = null;
  };
}
