import { fail, ok, type Result } from '../../src-shared/result';
import { ENGINE_SAMPLE_RATE, type AudioDecoder, type DecodeItem } from '../audio/types';
import { SileroVad } from '../vad/silero-vad';
import { detectSpeech } from '../vad/streaming-vad';
import type { SpeechSpan } from './window-planner';

export interface SpeechFinder {
  findSpeech: (path: string, onProgress: (seconds: number) => void, signal?: AbortSignal) => Promise<Result<SpeechSpan[]>>;
  dispose(): Promise<void>;
}

async function* reportingProgress(items: AsyncIterable<DecodeItem>, onProgress: (seconds: number) => void): AsyncGenerator<DecodeItem> {
  for await (const item of items) {
    if (item.ok) onProgress((item.value.startSample + item.value.samples.length) / ENGINE_SAMPLE_RATE);
    yield item;
  }
}

/** The VAD pass: one warm Silero session, loaded on first use, reused for every file until disposed. */
export function createSpeechFinder(decoder: AudioDecoder): SpeechFinder {
  let vad: Promise<Result<SileroVad>> | null = null;
  return {
    async findSpeech(path, onProgress, signal) {
      vad ??= SileroVad.load();
      const loaded = await vad;
      if (!loaded.ok) return loaded;
      const decoding = decoder.decode(path, { chunkSamples: 4 * ENGINE_SAMPLE_RATE, signal });
      const detection = await detectSpeech(reportingProgress(decoding, onProgress), loaded.value);
      if (!detection.ok) return signal?.aborted ? fail('CANCELLED', `Transcription of ${path} was cancelled.`, path) : detection;
      return ok(
        detection.value.regions.map((region) => ({
          start: region.startSample / ENGINE_SAMPLE_RATE,
          end: region.endSample / ENGINE_SAMPLE_RATE,
        })),
      );
    },
    async dispose() {
      const loaded = await vad;
      vad = null;
      if (loaded?.ok) await loaded.value.dispose();
    },
  };
}
