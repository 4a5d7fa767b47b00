import { AutoProcessor, type Tensor } from '@huggingface/transformers';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WhisperFeatures } from '../../../src-main/asr/whisper/fast-features';
import { decodeAll, realDecoder } from '../../audio/helpers';
import { SHARED_AUDIO, TINY_MULTILINGUAL } from '../../support/paths';

type Extractor = { _extract_fbank_features(waveform: Float32Array): Promise<Tensor> };

function padded(audio: Float32Array): Float32Array {
  const out = new Float32Array(30 * 16_000);
  out.set(audio.subarray(0, out.length));
  return out;
}

describe('Whisper log-mel features (own FFT, only the frames that touch audio)', () => {
  it('equal transformers.js features for speech, quiet audio, a single click, silence and a full window', async () => {
    const processor = await AutoProcessor.from_pretrained(TINY_MULTILINGUAL, { local_files_only: true });
    const reference = (processor as unknown as { feature_extractor: Extractor }).feature_extractor;
    const features = new WhisperFeatures(
      JSON.parse(readFileSync(path.join(TINY_MULTILINGUAL, 'preprocessor_config.json'), 'utf8')) as Record<string, unknown>,
    );
    const jfk = await decodeAll(realDecoder(), path.join(SHARED_AUDIO, 'jfk.wav'));
    const quiet = jfk.subarray(0, 3 * 16_000).map((sample) => sample * 1e-4);
    const click = new Float32Array(1);
    click[0] = 0.5;
    const full = new Float32Array(30 * 16_000).map((_, n) => Math.sin(n / 7) * 0.1);
    const cases = { jfk: jfk.subarray(0, 2 * 16_000 + 37), jfkAll: jfk, quiet, click, silence: new Float32Array(16_000), full };
    for (const [name, audio] of Object.entries(cases)) {
      const expected = await reference._extract_fbank_features(padded(audio));
      const started = performance.now();
      const actual = await features.logMel(audio);
      const ownMs = performance.now() - started;
      const e = expected.data as Float32Array;
      expect(actual.length, name).toBe(e.length);
      let worst = 0;
      for (let index = 0; index < e.length; index += 1) worst = Math.max(worst, Math.abs((actual[index] as number) - (e[index] as number)));
      console.log(`${name}: ${audio.length} samples, max |difference| ${worst.toExponential(2)}, ${ownMs.toFixed(1)} ms`);
      expect(worst, name).toBeLessThan(1e-5);
    }
  });
});
