/**
 * A failed window closes the decode: when the recognizer fails on its second window (or the language
 * cannot be detected), transcribeFile returns its error and the ffmpeg it started is gone — not left
 * blocked on a full pipe in the long-lived transcriber child.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fail, ok, type Result } from '../../src-shared/result';
import type { AsrErrorCode, SpeechRecognizer, WindowTranscription } from '../../src-main/asr/types';
import type { FfmpegAudioDecoder } from '../../src-main/audio/decoder';
import type { AudioProbeInfo } from '../../src-main/audio/types';
import { transcribeFile } from '../../src-main/pipeline/transcribe-file';
import type { SpeechSpan } from '../../src-main/pipeline/window-planner';
import { ffmpeg, makeTempDir, realDecoder } from '../audio/helpers';
import { processesMentioning } from '../jobs/handlers/handler-fixtures';

/** Succeeds on its first `goodWindows` windows, then fails; or fails to detect the language. */
class FailingRecognizer implements SpeechRecognizer {
  readonly modelId = 'failing-double';
  readonly execution = { requested: 'cpu' as const, active: 'cpu' as const, fallbackReason: null };
  readonly multilingual = true;
  windows = 0;

  constructor(
    private readonly goodWindows: number,
    private readonly detectFails = false,
  ) {}

  async detectLanguage(): Promise<Result<{ language: string; probability: number }, AsrErrorCode>> {
    return this.detectFails ? fail('ASR_FAILED', 'language detection failed') : ok({ language: 'en', probability: 1 });
  }

  async transcribeWindow(audio: Float32Array): Promise<Result<WindowTranscription, AsrErrorCode>> {
    this.windows += 1;
    if (this.windows > this.goodWindows) return fail('ASR_FAILED', `window ${this.windows} failed`);
    return ok({ language: 'en', segments: [{ start: 0, end: audio.length / 16_000, text: 'words' }] });
  }

  timings(): ReturnType<SpeechRecognizer['timings']> {
    return {};
  }

  async dispose(): Promise<void> {}
}

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let decoder: FfmpegAudioDecoder;
let file: string;
let probe: AudioProbeInfo;
/** Speech every 30 s over ten minutes: many windows, far more audio than a pipe holds. */
const spans: SpeechSpan[] = Array.from({ length: 20 }, (_, index) => ({ start: index * 30 + 1, end: index * 30 + 21 }));

beforeAll(async () => {
  temp = await makeTempDir('decoder-closed');
  decoder = realDecoder();
  file = path.join(temp.dir, 'ten-minutes-unique-marker.wav');
  await ffmpeg(decoder, ['-f', 'lavfi', '-i', 'sine=frequency=300:sample_rate=16000:duration=600', '-ac', '1', file]);
  const probed = await decoder.probe(file);
  if (!probed.ok) throw new Error(probed.error.message);
  probe = probed.value;
});

afterAll(async () => {
  for (const { pid } of processesMentioning(file)) process.kill(pid, 'SIGKILL');
  await temp?.cleanup();
});

describe('transcribeFile closes the decoder when a window fails', () => {
  it.each([
    ['the second window fails', new FailingRecognizer(1)],
    ['language detection fails', new FailingRecognizer(0, true)],
  ])('%s: the error comes back and no ffmpeg outlives the call', async (_case, recognizer) => {
    const result = await transcribeFile(
      probe,
      { decoder, recognizer, findSpeech: async () => ok(spans) },
      { language: null, task: 'transcribe' },
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error.code).toBe('ASR_FAILED');
    expect(processesMentioning(file)).toEqual([]);
  });
});
