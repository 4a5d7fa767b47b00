/**
 * Background jobs as the renderer sees them: imports, re-transcriptions, exports (and later diarization).
 * Times are ISO 8601 UTC strings; progress is 0–100 over the whole job.
 */
import type { ErrorCodeOf } from './errors';
import type { CodedError } from './result';
import type { AsrTask } from './transcript';

export type JobKind = 'import' | 'retranscribe' | 'export' | 'diarize';

export const JOB_KINDS: readonly JobKind[] = ['import', 'retranscribe', 'export', 'diarize'];

/**
 * `queued`: waiting for a slot (or for its retry time, `nextRunAt`); `running`: a worker holds its lease;
 * the last three are final (a failed or cancelled job can be retried by the user, which queues it again).
 */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** Formats an export job can write (the same list as the exporters'). */
export type JobExportFormat = 'txt' | 'srt' | 'vtt' | 'json' | 'md' | 'rttm' | 'docx';

export interface TranscriptionChoice {
  /** Catalog model id; the engine's default when absent. */
  modelId?: string | undefined;
  /** ISO 639-1 code, or null/absent for auto-detection. */
  language?: string | null | undefined;
  task?: AsrTask | undefined;
  /** Names and words the speakers use (a vocabulary prompt for Whisper); empty or absent: none. */
  prompt?: string | undefined;
  /**
   * 'separate': the first channel is the user alone and the second everybody else (a mic + system-audio
   * monitor recording, or a stereo file whose channels are different people): each channel is transcribed on
   * its own, the first labelled with the user's name, only the second diarized. Default 'mix' (all channels
   * together); a file with one channel is always transcribed as it is.
   */
  channels?: 'mix' | 'separate' | undefined;
}

/** The longest vocabulary prompt kept (Whisper reads at most about 110 tokens of it). */
export const MAX_PROMPT_LENGTH = 1000;

export interface ImportJobPayload extends TranscriptionChoice {
  kind: 'import';
  /** Absolute path of the file to import. */
  path: string;
  /** Meeting title; default: the file name without extension. */
  title?: string;
}

export interface RetranscribeJobPayload extends TranscriptionChoice {
  kind: 'retranscribe';
  meetingId: string;
  /**
   * Lines whose text the user corrected, and speakers the user chose, replace what the new transcript
   * says at their times (default true); the transcript replaced is kept either way, for an undo.
   */
  keepEdits?: boolean | undefined;
}

export interface ExportJobPayload {
  kind: 'export';
  meetingId: string;
  formats: JobExportFormat[];
  /** Folder the files are written to (created if missing). */
  outDir: string;
}

export interface DiarizeJobPayload {
  kind: 'diarize';
  meetingId: string;
  /** Fixed number of speakers, or bounds; automatic when absent. */
  speakers?: { exact?: number; min?: number; max?: number } | undefined;
}

export type JobPayload = ImportJobPayload | RetranscribeJobPayload | ExportJobPayload | DiarizeJobPayload;

/** What a finished job produced. */
export type JobResult =
  | { kind: 'import' | 'retranscribe' | 'diarize'; meetingId: string; segmentCount: number }
  | { kind: 'export'; meetingId: string; files: string[] };

export interface JobSummary {
  id: string;
  kind: JobKind;
  state: JobState;
  payload: JobPayload;
  /** The meeting the job works on: for imports, assigned when the job is enqueued. */
  meetingId: string | null;
  /** A short human label: the imported file's name, the meeting's title. */
  title: string;
  progress: number;
  /** Stage name while running ("validate", "decode", "transcribe", "store", …); null otherwise. */
  stage: string | null;
  /** Attempts started so far (the running one included). */
  attempts: number;
  maxAttempts: number;
  lastError: CodedError | null;
  result: JobResult | null;
  /** A cancel was asked for while running; the job ends as `cancelled` shortly. */
  cancelRequested: boolean;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** When a queued job becomes due (a retry waits for its backoff); null when due now. */
  nextRunAt: string | null;
}

/**
 * `changed`: state, attempts, error or result changed (the whole row); `progress`: only progress/stage moved
 * (sent at most a few times a second per job).
 */
export type JobEvent =
  | { type: 'changed'; job: JobSummary }
  | { type: 'progress'; jobId: string; progress: number; stage: string | null }
  /** Finished jobs cleared from the list. */
  | { type: 'removed'; jobIds: string[] };

/** The queue's and its handlers' own codes (see ERROR_CODES.jobs); a handler also returns its stages' codes. */
export type JobErrorCode = ErrorCodeOf<'jobs'>;
