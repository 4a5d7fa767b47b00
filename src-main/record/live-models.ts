import { ok, type Result } from '../../src-shared/result';
import type { SpeechRecognizer } from '../asr/types';
import type { FrameVad } from '../vad/streaming-vad';
import type { LiveModels } from './recorder';

interface DisposableVad extends FrameVad {
  dispose(): Promise<void>;
}

/**
 * Loads the session's Whisper and Silero sessions once; they stay warm for every utterance and
 * `release` disposes both (idempotent), so a stopped recording holds no ORT session.
 */
export async function loadLiveModels(
  loadRecognizer: () => Promise<Result<SpeechRecognizer>>,
  loadVad: () => Promise<Result<DisposableVad>>,
): Promise<Result<LiveModels>> {
  const vad = await loadVad();
  if (!vad.ok) return vad;
  const recognizer = await loadRecognizer();
  if (!recognizer.ok) {
    await vad.value.dispose();
    return recognizer;
  }
  let released: Promise<void> | null = null;
  return ok({
    recognizer: recognizer.value,
    vad: vad.value,
    release: () => (released ??= Promise.all([recognizer.value.dispose(), vad.value.dispose()]).then(() => undefined)),
  });
}
