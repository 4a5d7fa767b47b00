/**
 * Accuracy with real Whisper weights from ../shared/models/<model-id>/ (transformers.js layout), for every
 * real model present (CI has whisper-base and whisper-tiny.en and sets VERBATIM_REQUIRE_MODELS=1).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpeechRecognizer } from '../../src-main/asr/types';
import { loadWhisperRecognizer } from '../../src-main/asr/whisper-recognizer';
import { availableDtypes } from '../../src-main/models/model-store';
import { createSpeechFinder } from '../../src-main/pipeline/find-speech';
import { transcribeFile } from '../../src-main/pipeline/transcribe-file';
import { ffmpeg, makeTempDir, realDecoder } from '../audio/helpers';
import { realWhisperModels, SHARED_AUDIO } from '../support/paths';
import { normalizeWords, wordErrorRate } from '../support/wer';

const JFK = 'And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.';
const LEFT = 'He began a confused complaint against the wizard, who had vanished behind the curtain on the left.';
const RIGHT = 'The horizon seems extremely distant.';
const models = realWhisperModels();

describe.runIf(models.length > 0).each(models)('real Whisper weights ($modelId)', (real) => {
  const decoder = realDecoder();
  const speech = createSpeechFinder(decoder);
  let recognizer: SpeechRecognizer;
  let temp: Awaited<ReturnType<typeof makeTempDir>>;

  beforeAll(async () => {
    const dtype = (await availableDtypes(real.dir))[0] ?? 'fp32';
    const loaded = await loadWhisperRecognizer({ modelId: real.modelId, modelDir: real.dir, dtype, execution: 'auto' });
    if (!loaded.ok) throw new Error(loaded.error.message);
    recognizer = loaded.value;
    temp = await makeTempDir('real');
  }, 300_000);
  afterAll(async () => {
    await recognizer.dispose();
    await speech.dispose();
    await temp.cleanup();
  });

  async function transcribe(file: string, language: string | null = null): Promise<string> {
    const probe = await decoder.probe(file);
    if (!probe.ok) throw new Error(probe.error.message);
    const result = await transcribeFile(probe.value, { decoder, recognizer, findSpeech: speech.findSpeech }, { language, task: 'transcribe' });
    if (!result.ok) throw new Error(result.error.message);
    return result.value.segments.map((segment) => segment.text).join(' ');
  }

  it('transcribes jfk.wav with WER ≤ 10 % and detects English', async () => {
    const text = await transcribe(path.join(SHARED_AUDIO, 'jfk.wav'));
    expect(wordErrorRate(JFK, text)).toBeLessThanOrEqual(0.1);
  }, 300_000);

  // The two sentences overlap in time, so a mono mix defeats any model (faster-whisper too): each
  // channel holds one speaker and is transcribed on its own.
  it.each([
    { channel: 0, side: 'left', sentence: LEFT },
    { channel: 1, side: 'right', sentence: RIGHT },
  ])('transcribes the $side channel of stereo-two-speakers.wav on its own', async ({ channel, sentence }) => {
    const mono = path.join(temp.dir, `stereo-channel-${channel}.wav`);
    await ffmpeg(decoder, ['-i', path.join(SHARED_AUDIO, 'stereo-two-speakers.wav'), '-af', `pan=mono|c0=c${channel}`, mono]);
    const text = await transcribe(mono, 'en');
    expect(wordErrorRate(sentence, text)).toBeLessThanOrEqual(0.25);
  }, 300_000);

  it('loses and doubles no words across window boundaries of a 44 s file (jfk four times)', async () => {
    const long = path.join(temp.dir, 'jfk-x4.wav');
    const input = path.join(SHARED_AUDIO, 'jfk.wav');
    await ffmpeg(decoder, ['-i', input, '-i', input, '-i', input, '-i', input, '-filter_complex', 'concat=n=4:v=0:a=1', long]);
    const text = await transcribe(long, 'en');
    expect(normalizeWords(text).filter((word) => word === 'country')).toHaveLength(8);
    expect(wordErrorRate(`${JFK} ${JFK} ${JFK} ${JFK}`, text)).toBeLessThanOrEqual(0.1);
  }, 300_000);
});
