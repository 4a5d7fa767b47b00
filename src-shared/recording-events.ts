/** Events a recording session streams to the renderer (over IPC) and to the CLI. Times are seconds of recorded audio. */
import type { CodedError } from './result';
import type { TranscriptSegment } from './transcript';

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
  | { type: 'error'; error: CodedError }
  | { type: 'recovered'; recordings: RecoveredRecording[] };
