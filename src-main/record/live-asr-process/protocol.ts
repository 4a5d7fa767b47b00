import type { RecordingEvent } from '../../../src-shared/recording-events';
import type { CodedError } from '../../../src-shared/result';
import type { AsrTask } from '../../../src-shared/transcript';
import type { ExecutionPreference } from '../../onnx/execution-provider';
import type { ModelDtype } from '../../models/catalog';

/** What the live transcription process loads and how it transcribes (its last argument, as JSON). */
export interface LiveAsrChildConfig {
  modelId: string;
  modelDir: string;
  dtype: ModelDtype;
  execution: ExecutionPreference;
  language: string | null;
  task: AsrTask;
  /** Names and words the speakers use (a vocabulary prompt); empty: none. */
  initialPrompt: string;
  /** The speaker-embedding model for provisional live speaker labels; null: no labels. */
  speakerModelPath: string | null;
}

export type ToLiveAsrChild =
  | { type: 'push'; id: number; samples: Float32Array }
  | { type: 'skip'; from: number; to: number }
  | { type: 'flush'; id: number }
  | { type: 'release' };

export type FromLiveAsrChild =
  | { type: 'opened' }
  | { type: 'open-failed'; error: CodedError }
  | { type: 'event'; event: RecordingEvent }
  | { type: 'done'; id: number; segmentsCommitted: number; detectedLanguage: string | null }
  | { type: 'failed'; id: number; message: string };

const TO_CHILD_TYPES = new Set(['push', 'skip', 'flush', 'release']);
const FROM_CHILD_TYPES = new Set(['opened', 'open-failed', 'event', 'done', 'failed']);

function typeOf(message: unknown): unknown {
  return typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
}

/** Messages cross a process boundary: each side checks what it got before acting on it. */
export function isToLiveAsrChild(message: unknown): message is ToLiveAsrChild {
  const type = typeOf(message);
  if (typeof type !== 'string' || !TO_CHILD_TYPES.has(type)) return false;
  return type !== 'push' || (message as { samples?: unknown }).samples instanceof Float32Array;
}

export function isFromLiveAsrChild(message: unknown): message is FromLiveAsrChild {
  const type = typeOf(message);
  return typeof type === 'string' && FROM_CHILD_TYPES.has(type);
}

export function decodeLiveAsrChildConfig(argument: string | undefined): LiveAsrChildConfig | null {
  if (argument === undefined) return null;
  try {
    const parsed: unknown = JSON.parse(argument);
    const config = parsed as Partial<LiveAsrChildConfig>;
    return typeof parsed === 'object' && parsed !== null && typeof config.modelDir === 'string' && typeof config.modelId === 'string'
      ? (parsed as LiveAsrChildConfig)
      : null;
  } catch {
    return null;
  }
}
