/**
 * Messages between the app (parent) and the transcriber child process, over Node's IPC channel (JSON).
 * The child runs one request at a time (a transcription or a diarization) and keeps its Whisper model
 * warm between requests; diarization models are loaded per request and disposed after it.
 */
import type { Result } from '../../../src-shared/result';
import type { Transcript, TranscriptSegment } from '../../../src-shared/transcript';
import type { ExecutionPreference } from '../../onnx/execution-provider';
import type { SpeakerCountHint } from '../../diarization/diarize-audio';
import type { FileDiarization, FileDiarizeProgress } from '../../diarization/file-diarizer';
import type { FileTranscribeRequest, FileTranscribeStage } from '../file-transcriber';

/** How the child builds its engine; given on the command line when it is forked. */
export interface TranscriberChildOptions {
  modelsDir?: string | undefined;
  extraModelDirs?: string[] | undefined;
  /** The device used when a request does not name one. */
  device?: ExecutionPreference | undefined;
  ffmpegPath?: string | undefined;
  ffprobePath?: string | undefined;
  hubUrl?: string | undefined;
}

/** A file transcription, with the device the child resolved for it. */
export interface TranscribeRequestMessage extends FileTranscribeRequest {
  type: 'transcribe';
  requestId: string;
  device: ExecutionPreference;
}

export interface DiarizeRequestMessage {
  type: 'diarize';
  requestId: string;
  path: string;
  speakers?: SpeakerCountHint | undefined;
  /** Diarize this channel alone (0 = first) instead of the mix. */
  channel?: number | undefined;
  device: ExecutionPreference;
}

export type ToTranscriberChild =
  | TranscribeRequestMessage
  | DiarizeRequestMessage
  /** Stop the named request; it still answers, with a `CANCELLED` result. */
  | { type: 'cancel'; requestId: string }
  /** Stop any request, dispose the models, exit. */
  | { type: 'shutdown' };

export type FromTranscriberChild =
  | { type: 'progress'; requestId: string; stage: FileTranscribeStage; percent: number; segments?: TranscriptSegment[] | undefined }
  | { type: 'result'; requestId: string; result: Result<Transcript> }
  | { type: 'diarize-progress'; requestId: string; stage: FileDiarizeProgress['stage']; percent: number }
  | { type: 'diarized'; requestId: string; result: Result<FileDiarization> };

/** The child reads its options from its last command-line argument. */
export function encodeChildOptions(options: TranscriberChildOptions): string {
  return JSON.stringify(options);
}

export function decodeChildOptions(argument: string | undefined): TranscriberChildOptions {
  if (argument === undefined) return {};
  const parsed: unknown = JSON.parse(argument);
  return typeof parsed === 'object' && parsed !== null ? parsed : {};
}

export function isToTranscriberChild(message: unknown): message is ToTranscriberChild {
  if (typeof message !== 'object' || message === null) return false;
  const { type } = message as { type?: unknown };
  return type === 'transcribe' || type === 'diarize' || type === 'cancel' || type === 'shutdown';
}

export function isFromTranscriberChild(message: unknown): message is FromTranscriberChild {
  if (typeof message !== 'object' || message === null) return false;
  const { type, requestId } = message as { type?: unknown; requestId?: unknown };
  return (type === 'progress' || type === 'result' || type === 'diarize-progress' || type === 'diarized') && typeof requestId === 'string';
}
