/**
 * The encoder rewritten for a shorter context gives the original's output on a full 30 s window, takes fewer
 * log-mel frames (one output position per two frames), and is left alone when its graph has no positional table
 * to slice. With real whisper-base, a fitted context still hears the language and the words of a clear clip.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { loadWhisperRecognizer } from '../../../src-main/asr/whisper-recognizer';
import { readWhisperModelFiles } from '../../../src-main/asr/whisper/model-files';
import { readShorterContextEncoder } from '../../../src-main/asr/whisper/encoder-graph/read-encoder';
import { acceptShorterContext } from '../../../src-main/asr/whisper/encoder-graph/shorter-context';
import { decodeOnnxModel, encodeOnnxModel } from '../../../src-main/onnx/onnx-model';
import { decodeAll, realDecoder } from '../../audio/helpers';
import { realWhisperModels, SHARED_AUDIO, TINY_MULTILINGUAL } from '../../support/paths';
import { seeded } from './graph-support';

async function encode(session: InferenceSession, features: Float32Array, mels: number, frames: number): Promise<Tensor> {
  const out = await session.run({ input_features: new Tensor('float32', features, [1, mels, frames]) });
  return out.last_hidden_state as Tensor;
}

describe('shorter-context encoder', () => {
  it('matches the original on 3000 frames and takes fewer (generated tiny model)', async () => {
    const files = await readWhisperModelFiles(TINY_MULTILINGUAL, 'q8');
    const { num_mel_bins: mels } = files.architecture;
    const rewritten = await readShorterContextEncoder(files.encoderPath, files.architecture, false);
    expect(rewritten).not.toBeNull();
    const options = { graphOptimizationLevel: 'all' as const, logSeverityLevel: 3 as const };
    const original = await InferenceSession.create(files.encoderPath, options);
    const fitted = await InferenceSession.create(rewritten as Uint8Array, options);
    try {
      const features = seeded(mels * 3000, 7);
      const expected = await encode(original, features, mels, 3000);
      const actual = await encode(fitted, features, mels, 3000);
      expect(actual.dims).toEqual(expected.dims);
      // The same arithmetic; only the optimiser's fusions for a free frame count may round differently.
      const expectedData = expected.data as Float32Array;
      const difference = (actual.data as Float32Array).reduce(
        (max, value, index) => Math.max(max, Math.abs(value - (expectedData[index] as number))),
        0,
      );
      expect(difference).toBeLessThan(1e-4);

      const short = await encode(fitted, features.subarray(0, mels * 800), mels, 800);
      expect(short.dims).toEqual([1, 400, expected.dims[2]]);
      expect((short.data as Float32Array).every(Number.isFinite)).toBe(true);
      await expect(encode(original, features.subarray(0, mels * 800), mels, 800)).rejects.toThrow();
    } finally {
      await Promise.all([original.release(), fitted.release()]);
    }
  }, 120_000);

  it('leaves a graph without one positional table untouched and says so', async () => {
    const files = await readWhisperModelFiles(TINY_MULTILINGUAL, 'q8');
    const bytes = readFileSync(files.encoderPath);
    const model = decodeOnnxModel(bytes);
    expect(acceptShorterContext(model, files.architecture.max_source_positions + 1)).toBe(false);
    expect(Buffer.from(encodeOnnxModel(model)).equals(Buffer.from(encodeOnnxModel(decodeOnnxModel(bytes))))).toBe(true);
    expect(acceptShorterContext(decodeOnnxModel(readFileSync(files.decoderPath)), files.architecture.max_source_positions)).toBe(false);
    expect(
      await readShorterContextEncoder(
        path.join(TINY_MULTILINGUAL, 'missing.onnx'),
        { encoder_attention_heads: 8, max_source_positions: 1500 },
        false,
      ),
    ).toBeNull();
  });

  for (const { modelId, dir } of realWhisperModels().filter((model) => model.modelId === 'whisper-base')) {
    it(`real ${modelId}: a fitted context detects the language and transcribes jfk.wav, keeps the full encoding cached, and a kept wide check serves the decode`, async () => {
      const loaded = await loadWhisperRecognizer({ modelId, modelDir: dir, dtype: 'q8', execution: 'cpu' });
      if (!loaded.ok) throw new Error(loaded.error.message);
      const recognizer = loaded.value;
      try {
        const jfk = await decodeAll(realDecoder(), path.join(SHARED_AUDIO, 'jfk.wav'));
        const full = await recognizer.detectLanguage(jfk);
        const stretch = await recognizer.detectLanguage(jfk.subarray(0, 4 * 16000), { context: 'fitted' });
        expect(full.ok && full.value.language).toBe('en');
        expect(stretch.ok && stretch.value.language).toBe('en');
        const before = recognizer.timings().encoder?.runs ?? 0;
        // The fitted check of a stretch did not evict the window's full encoding: the decode reuses it.
        const window = await recognizer.transcribeWindow(jfk, { language: 'en', task: 'transcribe', decoding: { beamSize: 1 } });
        expect(recognizer.timings().encoder?.runs ?? 0).toBe(before);
        const fitted = await recognizer.transcribeWindow(jfk, { language: 'en', task: 'transcribe', context: 'fitted' });
        expect(recognizer.timings().encoder?.runs ?? 0).toBe(before + 1);
        const words = (result: typeof window): string =>
          result.ok
            ? result.value.segments
                .map((segment) => segment.text)
                .join(' ')
                .toLowerCase()
                .replace(/[^a-z ]/g, '')
                .replace(/\s+/g, ' ')
                .trim()
            : '';
        expect(words(fitted)).toBe(
          'and so my fellow americans ask not what your country can do for you ask what you can do for your country',
        );
        expect(words(window)).toBe(words(fitted));
        // A wide check kept for the decode that follows (a live commit): one encoder run for both, and the same
        // words (its context: jfk's 11 s rounded up plus a 10 s margin).
        const utterance = jfk.slice();
        const wideCheck = await recognizer.detectLanguage(utterance, { context: 'fitted-wide', keepEncoding: true });
        expect(wideCheck.ok && wideCheck.value.language).toBe('en');
        const wide = await recognizer.transcribeWindow(utterance, { language: 'en', task: 'transcribe', context: 'fitted-wide' });
        expect(recognizer.timings().encoder?.runs ?? 0).toBe(before + 2);
        expect(words(wide)).toBe(words(window));
      } finally {
        await recognizer.dispose();
      }
    }, 300_000);
  }
});
