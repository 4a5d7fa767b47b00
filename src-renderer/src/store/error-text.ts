/** Engine error codes in plain words; unknown codes fall back to the engine's own message. */
import type { CodedError } from '../../../src-shared/result';

const PLAIN_WORDS: Readonly<Record<string, string>> = {
  FILE_NOT_FOUND: 'The file could not be found. It may have been moved or deleted.',
  FILE_EMPTY: 'The file is empty.',
  NOT_MEDIA: 'This is not an audio or video file.',
  NO_AUDIO_STREAM: 'This file has no sound track.',
  TRUNCATED_OR_CORRUPT: 'The file is damaged or incomplete.',
  UNSUPPORTED_CODEC: 'The sound in this file uses a format Verbatim cannot read.',
  PROBE_TIMEOUT: 'Reading the file took too long; it may be damaged.',
  DECODE_FAILED: 'The sound in this file could not be decoded.',
  ENGINE_PROCESS_DIED: 'The transcription engine stopped unexpectedly.',
  ENGINE_PROCESS_MISSING: 'The transcription engine could not be started.',
  ENGINE_DISPOSED: 'The engine is shutting down.',
  JOB_CRASHED: 'The app closed while this job was running.',
  JOB_LEASE_LOST: 'The job was interrupted.',
  JOB_CANCELLED: 'The job was cancelled.',
  JOB_HANDLER_THREW: 'An internal error stopped this job.',
  JOB_TEMP_DIR_FAILED: 'A temporary folder could not be created. Is the disk full?',
  JOB_NOT_CANCELLABLE: 'This job can no longer be cancelled.',
  JOB_NOT_RETRYABLE: 'This job cannot be retried.',
  JOB_NOT_FOUND: 'This job no longer exists.',
  MODEL_MISSING: 'The speech model is not installed. Download it in Settings.',
  MODEL_UNKNOWN: 'This speech model is not known.',
  MODEL_LOAD_FAILED: 'The speech model could not be loaded. It may be damaged; try downloading it again.',
  MODEL_FOLDER_INVALID: 'The model folder does not contain a usable model.',
  DOWNLOAD_NETWORK: 'There is no connection to the download server. Are you offline?',
  DOWNLOAD_HTTP_TRANSIENT: 'The download server is busy. Try again in a moment.',
  DOWNLOAD_NOT_FOUND: 'The model is not available on the download server.',
  DOWNLOAD_SIZE_MISMATCH: 'The downloaded file was incomplete.',
  DOWNLOAD_CHECKSUM_MISMATCH: 'The downloaded file was damaged.',
  DOWNLOAD_CANCELLED: 'The download was cancelled.',
  CAPTURE_DEVICE_LOST: 'The microphone was disconnected.',
  CAPTURE_DEVICE_NOT_FOUND: 'The chosen microphone is not connected.',
  CAPTURE_OPEN_FAILED: 'The microphone could not be opened. Another app may be using it.',
  CAPTURE_BACKEND_UNAVAILABLE: 'Audio capture is not available on this computer.',
  CAPTURE_MONITOR_UNAVAILABLE: 'System audio could not be recorded; the microphone goes on.',
  NO_DEVICE: 'No microphone was found.',
  DISK_WRITE_FAILED: 'The recording could not be written to disk. Is the disk full?',
  LIVE_TRANSCRIPTION_FAILED: 'Live text stopped; the recording goes on and can be transcribed afterwards.',
  ASR_FAILED: 'Transcription failed.',
  ASR_WORKER_FAILED: 'Live text stopped; the recording goes on and can be transcribed afterwards.',
  RECORDING_ALREADY_ACTIVE: 'A recording is already running.',
  RECORDING_NOT_RUNNING: 'No recording is running.',
  RECORDING_NOT_PAUSED: 'The recording is not paused.',
  MEETING_NOT_FOUND: 'This meeting no longer exists.',
  MEETING_NO_MEDIA: 'This meeting has no audio file.',
  MEETING_NOT_TRANSCRIBED: 'This meeting has no transcript yet.',
  PREVIOUS_TRANSCRIPT_NOT_FOUND: 'There is no earlier transcript to go back to.',
  BRIDGE_DISCONNECTED: 'The connection to Verbatim is lost. It reconnects by itself when Verbatim runs again.',
  DIARIZATION_FAILED: 'Telling the speakers apart did not work for this recording.',
  DIARIZATION_UNAVAILABLE: 'Finding speakers is not available in this build.',
  JOB_HANDLER_FAILED: 'An internal error stopped this job.',
  SEGMENT_NOT_FOUND: 'This part of the transcript no longer exists.',
  SPEAKER_NOT_FOUND: 'This speaker no longer exists.',
  LIBRARY_TOO_NEW: 'The library was written by a newer version of Verbatim.',
  LIBRARY_WRITE_FAILED: 'The library could not be saved. Is the disk full?',
  LIBRARY_READ_FAILED: 'The library could not be read.',
  EXPORT_WRITE_FAILED: 'The export could not be written.',
  EXPORT_PERMISSION_DENIED: 'Verbatim may not write to that folder.',
  EXPORT_DIR_NOT_FOUND: 'That folder does not exist.',
};

export function plainWordsFor(code: string): string | null {
  if (code in PLAIN_WORDS) return PLAIN_WORDS[code] ?? null;
  // Model downloads wrap the downloader's codes: MODEL_DOWNLOAD_NETWORK is DOWNLOAD_NETWORK.
  if (code.startsWith('MODEL_DOWNLOAD_')) return PLAIN_WORDS[code.slice('MODEL_'.length)] ?? null;
  return null;
}

export function describeError(error: CodedError): string {
  return plainWordsFor(error.code) ?? (error.message.trim() === '' ? `Something went wrong (${error.code}).` : error.message);
}
