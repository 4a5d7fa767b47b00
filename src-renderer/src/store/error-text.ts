/**
 * Engine error codes in plain words. Every code of the vocabulary has an entry, so a new code does not
 * type-check until someone decides its words; `null` shows the engine's own message instead (it names the
 * file, the model or the value, and says what happened well enough, or the code never reaches a person).
 */
import type { ErrorCode } from '../../../src-shared/errors';
import type { CodedError } from '../../../src-shared/result';

export type PlainWordsTable = Readonly<Record<ErrorCode, string | null>>;

export const PLAIN_WORDS: PlainWordsTable = {
  // common
  CANCELLED: null,
  INVALID_INPUT: null,
  UNKNOWN_ERROR: null,
  // audio
  FFMPEG_NOT_FOUND: null,
  FILE_NOT_FOUND: 'The file could not be found. It may have been moved or deleted.',
  FILE_EMPTY: 'The file is empty.',
  NOT_MEDIA: 'This is not an audio or video file.',
  NO_AUDIO_STREAM: 'This file has no sound track.',
  TRUNCATED_OR_CORRUPT: 'The file is damaged or incomplete.',
  UNSUPPORTED_CODEC: 'The sound in this file uses a format Verbatim cannot read.',
  PROBE_TIMEOUT: 'Reading the file took too long; it may be damaged.',
  DECODE_FAILED: 'The sound in this file could not be decoded.',
  CHANNEL_NOT_FOUND: null,
  // vad
  VAD_MODEL_NOT_FOUND: null,
  VAD_MODEL_INVALID: null,
  VAD_UNAVAILABLE: null,
  // asr
  MODEL_LOAD_FAILED: 'The speech model could not be loaded. It may be damaged; try downloading it again.',
  ASR_FAILED: 'Transcription failed.',
  LANGUAGE_UNSUPPORTED: null,
  RECOGNIZER_DISPOSED: null,
  ENGINE_DISPOSED: 'The engine is shutting down.',
  // diarization
  DIARIZATION_MODEL_NOT_FOUND: null,
  DIARIZATION_MODEL_INVALID: null,
  DIARIZATION_FAILED: 'Telling the speakers apart did not work for this recording.',
  DIARIZATION_UNAVAILABLE: 'Finding speakers is not available in this build.',
  RTTM_MALFORMED_LINE: null,
  RTTM_NEGATIVE_DURATION: null,
  RTTM_MULTIPLE_FILES: null,
  DER_INVALID_TURN: null,
  DER_INVALID_OPTION: null,
  // models
  MODEL_MISSING: 'The speech model is not installed. Download it in Settings.',
  MODEL_UNKNOWN: 'This speech model is not known.',
  MODEL_FOLDER_INVALID: 'The model folder does not contain a usable model.',
  MODEL_FOLDERS_UNAVAILABLE: null,
  MODEL_NOT_DOWNLOADABLE: null,
  MODEL_DOWNLOADS_CLOSED: null,
  DOWNLOAD_NETWORK: 'There is no connection to the download server. Are you offline?',
  DOWNLOAD_HTTP_TRANSIENT: 'The download server is busy. Try again in a moment.',
  DOWNLOAD_NOT_FOUND: 'The model is not available on the download server.',
  DOWNLOAD_CHECKSUM_MISMATCH: 'The downloaded file was damaged.',
  DOWNLOAD_SIZE_MISMATCH: 'The downloaded file was incomplete.',
  DOWNLOAD_FAILED: null,
  // jobs
  JOB_NOT_FOUND: 'This job no longer exists.',
  JOB_INVALID: null,
  JOB_NOT_CANCELLABLE: 'This job can no longer be cancelled.',
  JOB_NOT_RETRYABLE: 'This job cannot be retried.',
  JOB_NOT_REJECTABLE: null,
  JOB_STORE_FAILED: null,
  JOB_QUEUE_STOPPED: null,
  JOB_NO_HANDLER: null,
  JOB_LEASE_LOST: 'The job was interrupted.',
  JOB_CRASHED: 'The app closed while this job was running.',
  JOB_HANDLER_THREW: 'An internal error stopped this job.',
  JOB_HANDLER_FAILED: 'An internal error stopped this job.',
  JOB_TEMP_DIR_FAILED: 'A temporary folder could not be created. Is the disk full?',
  ENGINE_PROCESS_DIED: 'The transcription engine stopped unexpectedly.',
  ENGINE_PROCESS_MISSING: 'The transcription engine could not be started.',
  MEDIA_WRITE_FAILED: null,
  // library
  LIBRARY_OPEN_FAILED: null,
  LIBRARY_DAMAGED: null,
  LIBRARY_RECOVERY_FAILED: null,
  LIBRARY_MIGRATION_FAILED: null,
  LIBRARY_TOO_NEW: 'The library was written by a newer version of Verbatim.',
  LIBRARY_CLOSED: null,
  LIBRARY_READ_FAILED: 'The library could not be read.',
  LIBRARY_WRITE_FAILED: 'The library could not be saved. Is the disk full?',
  MEETING_NOT_FOUND: 'This meeting no longer exists.',
  MEETING_EXISTS: null,
  MEETING_NOT_TRANSCRIBED: 'This meeting has no transcript yet.',
  MEETING_NO_MEDIA: 'This meeting has no audio file.',
  MEDIA_NOT_FOUND: null,
  SEGMENT_NOT_FOUND: 'This part of the transcript no longer exists.',
  SPEAKER_NOT_FOUND: 'This speaker no longer exists.',
  PREVIOUS_TRANSCRIPT_NOT_FOUND: 'There is no earlier transcript to go back to.',
  INVALID_TRANSCRIPT: null,
  // export
  EXPORT_DIR_NOT_FOUND: 'That folder does not exist.',
  EXPORT_PERMISSION_DENIED: 'Verbatim may not write to that folder.',
  EXPORT_WRITE_FAILED: 'The export could not be written.',
  TRANSCRIPT_JSON_SYNTAX: null,
  TRANSCRIPT_JSON_NOT_VERBATIM: null,
  TRANSCRIPT_JSON_VERSION_UNSUPPORTED: null,
  TRANSCRIPT_JSON_INVALID: null,
  // record
  CAPTURE_BACKEND_UNAVAILABLE: 'Audio capture is not available on this computer.',
  CAPTURE_DEVICE_NOT_FOUND: 'The chosen microphone is not connected.',
  CAPTURE_OPEN_FAILED: 'The microphone could not be opened. Another app may be using it.',
  CAPTURE_BAD_STATE: null,
  CAPTURE_DEVICE_LOST: 'The microphone was disconnected.',
  CAPTURE_MONITOR_UNAVAILABLE: 'System audio could not be recorded; the microphone goes on.',
  MONITOR_UNSUPPORTED: null,
  MICROPHONE_ACCESS_DENIED: null,
  BAD_FORMAT: null,
  BAD_NAME: null,
  BAD_OPTIONS: null,
  BAD_FRAMES: null,
  RECORDING_EXISTS: null,
  DISK_WRITE_FAILED: 'The recording could not be written to disk. Is the disk full?',
  WRITER_CLOSED: null,
  NOT_WAV: null,
  NO_DATA_CHUNK: null,
  UNSUPPORTED_WAV: null,
  SIDECAR_UNREADABLE: null,
  SIDECAR_INVALID: null,
  RECOVERY_FAILED: null,
  RECORDING_ALREADY_ACTIVE: 'A recording is already running.',
  RECORDING_ALREADY_STARTED: null,
  RECORDING_NOT_RUNNING: 'No recording is running.',
  RECORDING_NOT_PAUSED: 'The recording is not paused.',
  LIVE_TRANSCRIPTION_FAILED: 'Live text stopped; the recording goes on and can be transcribed afterwards.',
  LIVE_SPEAKERS_FAILED: null,
  ASR_WORKER_FAILED: 'Live text stopped; the recording goes on and can be transcribed afterwards.',
  ASR_WORKER_MISSING: null,
  // app
  DATA_DIR_UNAVAILABLE: null,
  SETTINGS_WRITE_FAILED: null,
  SETTING_READ_ONLY: null,
  // api
  HANDLER_FAILED: null,
  IPC_BAD_REQUEST: null,
  IPC_HANDLER_FAILED: null,
  IPC_UNKNOWN_METHOD: null,
  IPC_UNTRUSTED_SENDER: null,
  BRIDGE_BAD_TARGET: null,
  BRIDGE_DISCONNECTED: 'The connection to Verbatim is lost. It reconnects by itself when Verbatim runs again.',
  BRIDGE_FAILED: null,
  UPLOADS_FULL: null,
  UPLOAD_FAILED: null,
  UPLOAD_TOO_LARGE: null,
  IMPORT_FILE_NOT_ON_DISK: null,
  // cli
  CLI_BAD_ARGS: null,
  CLI_HELP: null,
  // process
  UNHANDLED_REJECTION: null,
  UNCAUGHT_EXCEPTION: null,
};

function plainWordsFor(code: ErrorCode): string | null {
  // `??`: a code from a newer engine than this page (not in the table) still gets the engine's message.
  return PLAIN_WORDS[code] ?? null;
}

export function describeError(error: CodedError): string {
  return plainWordsFor(error.code) ?? (error.message.trim() === '' ? `Something went wrong (${error.code}).` : error.message);
}
