/**
 * The one vocabulary of error codes the engine, the app and the CLI return, grouped by the stage that
 * returns them. `Result`, `CodedError` and `fail` accept only these codes, so a module's own narrower
 * union (ProbeErrorCode, JobErrorCode, …) is checked against this list wherever it is used; a new code is
 * added here first (and the renderer's plain-words table then asks for its words).
 */
export const ERROR_CODES = {
  /** Any stage. */
  common: [
    /** The caller's signal aborted the work (a job, a window, a decode, a download); nothing is wrong. */
    'CANCELLED',
    /** A request or value that breaks the contract (a wrong type, an empty id, a bad field). */
    'INVALID_INPUT',
    /** A stored error whose code this version does not know (written by an older one). */
    'UNKNOWN_ERROR',
  ],
  /** Reading media: ffprobe, ffmpeg, the decoded stream. */
  audio: [
    'FFMPEG_NOT_FOUND',
    'FILE_NOT_FOUND',
    'FILE_EMPTY',
    'NOT_MEDIA',
    'NO_AUDIO_STREAM',
    'TRUNCATED_OR_CORRUPT',
    'UNSUPPORTED_CODEC',
    'PROBE_TIMEOUT',
    'DECODE_FAILED',
    /** A channel was asked for that the file does not have. */
    'CHANNEL_NOT_FOUND',
  ],
  /** Voice activity detection (Silero). */
  vad: ['VAD_MODEL_NOT_FOUND', 'VAD_MODEL_INVALID', 'VAD_UNAVAILABLE'],
  /** Speech recognition (Whisper) and the transcriber that runs it. */
  asr: ['MODEL_LOAD_FAILED', 'ASR_FAILED', 'LANGUAGE_UNSUPPORTED', 'RECOGNIZER_DISPOSED', 'ENGINE_DISPOSED'],
  /** Who spoke when: the models, the run, and the RTTM/DER tools. */
  diarization: [
    'DIARIZATION_MODEL_NOT_FOUND',
    'DIARIZATION_MODEL_INVALID',
    'DIARIZATION_FAILED',
    'DIARIZATION_UNAVAILABLE',
    'RTTM_MALFORMED_LINE',
    'RTTM_NEGATIVE_DURATION',
    'RTTM_MULTIPLE_FILES',
    'DER_INVALID_TURN',
    'DER_INVALID_OPTION',
  ],
  /** The model catalog, model folders and downloads. */
  models: [
    'MODEL_MISSING',
    'MODEL_UNKNOWN',
    'MODEL_FOLDER_INVALID',
    'MODEL_FOLDERS_UNAVAILABLE',
    'MODEL_NOT_DOWNLOADABLE',
    'MODEL_DOWNLOADS_CLOSED',
    'DOWNLOAD_NETWORK',
    'DOWNLOAD_HTTP_TRANSIENT',
    'DOWNLOAD_NOT_FOUND',
    'DOWNLOAD_CHECKSUM_MISMATCH',
    'DOWNLOAD_SIZE_MISMATCH',
    /** Anything the downloader threw instead of returning (a full disk on rename). */
    'DOWNLOAD_FAILED',
  ],
  /** The durable job queue, its handlers and the transcriber child process. */
  jobs: [
    'JOB_NOT_FOUND',
    'JOB_INVALID',
    'JOB_NOT_CANCELLABLE',
    'JOB_NOT_RETRYABLE',
    'JOB_NOT_REJECTABLE',
    'JOB_STORE_FAILED',
    'JOB_QUEUE_STOPPED',
    'JOB_NO_HANDLER',
    'JOB_LEASE_LOST',
    'JOB_CRASHED',
    /** A handler threw instead of returning a Result (a bug): a permanent failure, the queue goes on. */
    'JOB_HANDLER_THREW',
    /** A handler's own guard caught a throw below it. */
    'JOB_HANDLER_FAILED',
    /** The attempt's temporary folder could not be created. */
    'JOB_TEMP_DIR_FAILED',
    'ENGINE_PROCESS_DIED',
    'ENGINE_PROCESS_MISSING',
    /** An imported file could not be moved or copied into the media folder. */
    'MEDIA_WRITE_FAILED',
  ],
  /** The meeting library (SQLite). */
  library: [
    'LIBRARY_OPEN_FAILED',
    /** The library's file failed its integrity check (or is empty); nothing was written to it. */
    'LIBRARY_DAMAGED',
    'LIBRARY_RECOVERY_FAILED',
    'LIBRARY_MIGRATION_FAILED',
    /** The database was written by a newer Verbatim; this one will not touch it. */
    'LIBRARY_TOO_NEW',
    'LIBRARY_CLOSED',
    'LIBRARY_READ_FAILED',
    'LIBRARY_WRITE_FAILED',
    'MEETING_NOT_FOUND',
    'MEETING_EXISTS',
    'MEETING_NOT_TRANSCRIBED',
    'MEETING_NO_MEDIA',
    'MEDIA_NOT_FOUND',
    'SEGMENT_NOT_FOUND',
    'SPEAKER_NOT_FOUND',
    'PREVIOUS_TRANSCRIPT_NOT_FOUND',
    'INVALID_TRANSCRIPT',
  ],
  /** Writing exports, and reading Verbatim's transcript JSON back. */
  export: [
    'EXPORT_DIR_NOT_FOUND',
    'EXPORT_PERMISSION_DENIED',
    'EXPORT_WRITE_FAILED',
    'TRANSCRIPT_JSON_SYNTAX',
    'TRANSCRIPT_JSON_NOT_VERBATIM',
    'TRANSCRIPT_JSON_VERSION_UNSUPPORTED',
    'TRANSCRIPT_JSON_INVALID',
  ],
  /** Live recording: capture, the crash-safe WAV on disk, its recovery, the session and live text. */
  record: [
    /** The PortAudio addon could not be loaded (not built for this runtime, missing libasound). */
    'CAPTURE_BACKEND_UNAVAILABLE',
    /** No input device with that id, or no default input at all. */
    'CAPTURE_DEVICE_NOT_FOUND',
    /** The device exists but refused the stream (format, busy, permission). */
    'CAPTURE_OPEN_FAILED',
    /** `start` on a source that is already running or was stopped (sources are single-use). */
    'CAPTURE_BAD_STATE',
    /** The device stopped delivering audio while running (unplugged, daemon died, capture process exited). */
    'CAPTURE_DEVICE_LOST',
    /** Linux monitor capture needs PulseAudio's pactl/parec (pulseaudio-utils, also for PipeWire) and a server. */
    'CAPTURE_MONITOR_UNAVAILABLE',
    /** This capture backend cannot record system audio at all. */
    'MONITOR_UNSUPPORTED',
    'MICROPHONE_ACCESS_DENIED',
    'BAD_FORMAT',
    'BAD_NAME',
    'BAD_OPTIONS',
    'BAD_FRAMES',
    'RECORDING_EXISTS',
    'DISK_WRITE_FAILED',
    'WRITER_CLOSED',
    'NOT_WAV',
    'NO_DATA_CHUNK',
    'UNSUPPORTED_WAV',
    'SIDECAR_UNREADABLE',
    'SIDECAR_INVALID',
    'RECOVERY_FAILED',
    'RECORDING_ALREADY_ACTIVE',
    'RECORDING_ALREADY_STARTED',
    'RECORDING_NOT_RUNNING',
    'RECORDING_NOT_PAUSED',
    'LIVE_TRANSCRIPTION_FAILED',
    'LIVE_SPEAKERS_FAILED',
    'ASR_WORKER_FAILED',
    'ASR_WORKER_MISSING',
  ],
  /** The app's own files: the data folder and settings. */
  app: ['DATA_DIR_UNAVAILABLE', 'SETTINGS_WRITE_FAILED', 'SETTING_READ_ONLY'],
  /** The wire: handlers behind IPC and the browser bridge, uploads, the preload. */
  api: [
    'HANDLER_FAILED',
    'IPC_BAD_REQUEST',
    'IPC_HANDLER_FAILED',
    'IPC_UNKNOWN_METHOD',
    'IPC_UNTRUSTED_SENDER',
    'BRIDGE_BAD_TARGET',
    'BRIDGE_DISCONNECTED',
    'BRIDGE_FAILED',
    'UPLOADS_FULL',
    'UPLOAD_FAILED',
    'UPLOAD_TOO_LARGE',
    'IMPORT_FILE_NOT_ON_DISK',
  ],
  /** Command lines (the CLI and `serve`). */
  cli: ['CLI_BAD_ARGS', 'CLI_HELP'],
  /** A defect that escaped everything else, reported by the last-resort handlers. */
  process: ['UNHANDLED_REJECTION', 'UNCAUGHT_EXCEPTION'],
} as const;

export type ErrorStage = keyof typeof ERROR_CODES;
export type ErrorCodeOf<Stage extends ErrorStage> = (typeof ERROR_CODES)[Stage][number];
export type ErrorCode = ErrorCodeOf<ErrorStage>;

/** An error as a value (see result.ts); `Code` narrows the vocabulary for one module (ProbeErrorCode, …). */
export interface CodedError<Code extends ErrorCode = ErrorCode> {
  code: Code;
  message: string;
  /** The input the error is about (a file path, a model id), when there is one. */
  subject?: string;
}

const ALL_CODES: ReadonlySet<string> = new Set(Object.values(ERROR_CODES).flat());

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && ALL_CODES.has(value);
}

/** The one cancellation code: the work stopped because its caller asked; not a failure to show. */
export function isCancelled(error: Pick<CodedError, 'code'> | null | undefined): boolean {
  return error?.code === 'CANCELLED';
}

/**
 * Codes older versions wrote for a cancellation, before there was one. Read from stored rows (jobs,
 * meetings) they mean CANCELLED.
 */
const LEGACY_CANCELLED: ReadonlySet<string> = new Set(['JOB_CANCELLED', 'ASR_CANCELLED', 'ABORTED', 'DOWNLOAD_CANCELLED']);

/**
 * A coded error read back from storage (a job's last error, a meeting's failure): old cancellation codes
 * read as CANCELLED, and a code this version does not know as UNKNOWN_ERROR with the old code kept in the
 * message. Returns null when the value is not a coded error at all.
 */
export function readStoredError(value: unknown): CodedError | null {
  if (typeof value !== 'object' || value === null) return null;
  const { code, message, subject } = value as { code?: unknown; message?: unknown; subject?: unknown };
  if (typeof code !== 'string' || typeof message !== 'string') return null;
  const known: { code: ErrorCode; message: string } = isErrorCode(code)
    ? { code, message }
    : LEGACY_CANCELLED.has(code)
      ? { code: 'CANCELLED', message }
      : { code: 'UNKNOWN_ERROR', message: `${code}: ${message}` };
  return typeof subject === 'string' ? { ...known, subject } : known;
}

/** The message of anything thrown: an Error's message, or the value as text. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return String(error);
  } catch {
    // An object whose toString throws (or a null-prototype object) still gets a description.
    return Object.prototype.toString.call(error);
  }
}
