/**
 * Accuracy with real Whisper weights. They are not in any registry package (see README: "Real weights");
 * these tests run whenever a converted model sits in ../shared/models/<model-id>/ (transformers.js layout).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpeechRecognizer } from '../../src-main/asr/types';
import { loadWhisperRecognizer } from '../../src-main/asr/whisper-recognizer';
import { availableDtypes } from '../../src-main/models/model-store';
import { createSpeechFinder } from '../../src-main/pipeline/find-speech';
import { transcribeFile } from '../../src-main/pipeline/transcribe-file';
import { ffmpeg, makeTempDir, realDecoder } from '../audio/helpers';
import { anyRealWhisper, SHARED_AUDIO } from '../support/paths';
import { normalizeWords, wordErrorRate } from '../support/wer';

const JFK = 'And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.';
const LEFT = 'He began a confused complaint against the wizard, who had vanished behind the curtain on the left.';
const RIGHT = 'The horizon seems extremely distant.';
const real = anyRealWhisper();

describe.runIf(real !== null)(`real Whisper weights (${real?.modelId ?? 'none present'})`, () => {
  const decoder = realDecoder();
  const speech = createSpeechFinder(decoder);
  let recognizer: SpeechRecognizer;
  let temp: Awaited<ReturnType<typeof makeTempDir>>;

  beforeAll(async () => {
    const dir = (real as { dir: string }).dir;
    const dtype = (await availableDtypes(dir))[0] ?? 'fp32';
    const loaded = await loadWhisperRecognizer({ modelId: (real as { modelId: string }).modelId, modelDir: dir, dtype, execution: 'auto' });
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

  it('transcribes both sentences of stereo-two-speakers.wav mixed to mono', async () => {
    const mono = path.join(temp.dir, 'stereo-mono.wav');
    await ffmpeg(decoder, ['-i', path.join(SHARED_AUDIO, 'stereo-two-speakers.wav'), '-ac', '1', mono]);
    const text = await transcribe(mono, 'en');
    expect(wordErrorRate(`${LEFT} ${RIGHT}`, text)).toBeLessThanOrEqual(0.25);
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
