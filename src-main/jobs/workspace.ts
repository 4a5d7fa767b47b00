/**
 * The user's data folder as the app, the CLI and the wire handlers use it: the meeting library and the
 * durable job queue, with the actions that queue work on a meeting. app/workspace.ts opens it.
 */
import type { DiarizeJobPayload, ExportJobPayload, JobSummary, TranscriptionChoice } from '../../src-shared/jobs';
import type { RecordingEvent } from '../../src-shared/recording-events';
import type { CodedError, Result } from '../../src-shared/result';
import type { LibraryStore } from '../library/library-store';
import type { JobQueue } from './job-queue';
import type { TranscriptDrafts } from './transcript-drafts';

/** Where saved recordings are announced (the engine's recorder). */
export interface RecordingEventSource {
  onRecordingEvent(listener: (event: RecordingEvent) => void): () => void;
}

export interface Workspace {
  readonly library: LibraryStore;
  /** Set when a recovered copy or a new library was opened instead of a damaged one (one sentence). */
  readonly libraryNotice: string | null;
  readonly jobs: JobQueue;
  /** Segments of imports still running, for a meeting opened meanwhile. */
  readonly drafts: Pick<TranscriptDrafts, 'get' | 'onDraft'>;
  /** One import job per file, acknowledged at once; each meeting shows in the library as `queued`. */
  importFiles(paths: readonly string[], choice?: TranscriptionChoice): Result<JobSummary>[];
  /** `keepEdits` (default true): lines and speakers the user corrected stay where they were said. */
  retranscribe(meetingId: string, choice?: TranscriptionChoice, keepEdits?: boolean): Result<JobSummary>;
  exportMeeting(meetingId: string, formats: ExportJobPayload['formats'], outDir: string): Result<JobSummary>;
  /** Who spoke when; a diarize job already waiting for the meeting is returned instead of a second one. */
  diarize(meetingId: string, speakers?: DiarizeJobPayload['speakers']): Result<JobSummary>;
  /**
   * Stores every recording the engine saves as a meeting with its live transcript, and imports the ones
   * repaired after a crash. Returns the unsubscribe function.
   */
  attachRecorder(engine: RecordingEventSource, onError?: (error: CodedError) => void): () => void;
  /** Stops the queue (running jobs go back to queued, resumable), ends the transcriber, closes the database. */
  close(): Promise<void>;
}
