/** Events a recording session streams to the renderer (over IPC) and to the CLI. Times are seconds of recorded audio. */
import type { CodedError } from './result';
import type { AsrTask, TranscriptSegment } from './transcript';

export type RecordingStatus = 'idle' | 'recording' | 'paused' | 'stopping';

export interface RecoveredRecording {
  paths: string[];
  seconds: number;
  detail: string;
}

export type RecordingEvent =
  | { type: 'status'; status: RecordingStatus; sessionId: string | null }
  /** Input level for a meter, at least 10 per second while recording: RMS and peak in [0, 1]. */
  | { type: 'level'; at: number; rms: number; peak: number }
  /** Provisional text of the utterance being spoken; replaced by the next partial or by a commit. */
  | { type: 'partial'; start: number; end: number; text: string }
  /** Final text: never revised, never repeated. */
  | { type: 'committed'; segment: TranscriptSegment }
  /** Audio the live transcriber skipped because ASR fell behind (the recording itself has it). */
  | { type: 'gap'; start: number; end: number; totalSkippedSeconds: number }
  /** `fatal`: the recording could not go on (device lost, disk failed) and was stopped and saved. */
  | { type: 'error'; error: CodedError; fatal: boolean }
  /** The recording's files are finalized on disk (after stop, or after a fatal error). */
  | { type: 'saved'; sessionId: string; paths: string[]; seconds: number; language: string | null; modelId: string | null }
  | { type: 'recovered'; recordings: RecoveredRecording[] };

export interface CaptureDevice {
  /** Stable id to pass back to `open` (PortAudio device index as a string, or a PulseAudio source name). */
  id: string;
  name: string;
  /** 'input' = a microphone-like device; 'monitor' = what the speakers play (other participants). */
  kind: 'input' | 'monitor';
  maxInputChannels: number;
  defaultSampleRate: number;
  isDefault: boolean;
}

export interface RecordingStartRequest {
  /** null/absent = the system default input. */
  deviceId?: string | null;
  /** A system-audio monitor recorded as its own channel (Linux), or null. */
  monitorDeviceId?: string | null;
  modelId?: string | undefined;
  /** null = detect from the first utterance. */
  language?: string | null;
  task?: AsrTask;
  /** Names and words the speakers use (a vocabulary prompt for Whisper). */
  prompt?: string | undefined;
  /** false records without live transcription (default true). */
  transcribe?: boolean;
}

export interface RecordingSummary {
  id: string;
  /** The recording's WAV segment files, in order (one unless it passed 2 GiB). */
  paths: string[];
  seconds: number;
  segmentsCommitted: number;
  /** Language of the live transcript (given or detected); null without transcription or speech. */
  language: string | null;
}
