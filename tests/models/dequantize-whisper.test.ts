/**
 * tools/models/dequantize_whisper.py on the generated tiny Whisper, whose fp32 and q8 files hold the same random
 * weights: the dequantised files must be the fp32 network up to the 8-bit rounding of the weights.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelDtype } from '../../src-main/models/catalog';
import { WhisperFeatures } from '../../src-main/asr/whisper/fast-features';
import { readWhisperModelFiles } from '../../src-main/asr/whisper/model-files';
import { WhisperSessions } from '../../src-main/asr/whisper/sessions';
import { WhisperVocabulary } from '../../src-main/asr/whisper/vocabulary';
import { audioFile, decodeAll, makeTempDir, realDecoder } from '../audio/helpers';
import { ensureTinyModels } from '../setup/generate-models';
import { REPO_ROOT, TINY_MULTILINGUAL } from '../support/paths';

const SCRIPT = path.join(REPO_ROOT, 'tools/models/dequantize_whisper.py');
const python = (): string => process.env.VERBATIM_PYTHON ?? 'python3';

/** Logits of the first-step branch (lone SOT) and of the cached branch over a short prompt, one row each. */
async function logits(dir: string, dtype: ModelDtype, audio: Float32Array): Promise<Float32Array[]> {
  const files = await readWhisperModelFiles(dir, dtype);
  const vocabulary = new WhisperVocabulary(files.tokenizerJson, files.architecture.vocab_size);
  const features = new WhisperFeatures(files.preprocessor);
  const sessions = await WhisperSessions.load(files.encoderPath, files.decoderPath, files.architecture, { execution: 'cpu', threads: 1 });
  try {
    const special = vocabulary.special;
    const cross = await sessions.crossAttention(await sessions.encode(await features.logMel(audio), features.mels, features.frames), special.sot);
    const tokens = [special.sot, special.languages.get('en') as number, special.transcribe as number, special.noTimestamps, 400, 1000, 2000];
    const pass = await sessions.step([tokens], cross, null);
    const vocab = sessions.vocabSize;
    return [cross.startLogits.slice(0, vocab), ...tokens.map((_, index) => pass.logits.slice(index * vocab, (index + 1) * vocab))];
  } finally {
    await sessions.release();
  }
}

function differences(a: Float32Array[], b: Float32Array[]): { max: number; mean: number } {
  let max = 0;
  let sum = 0;
  let count = 0;
  a.forEach((row, index) =>
    row.forEach((value, at) => {
      const difference = Math.abs(value - ((b[index] as Float32Array)[at] as number));
      max = Math.max(max, difference);
      sum += difference;
      count += 1;
    }),
  );
  return { max, mean: sum / count };
}

function spread(rows: Float32Array[]): number {
  const all = rows.flatMap((row) => [...row]);
  const mean = all.reduce((sum, value) => sum + value, 0) / all.length;
  return Math.sqrt(all.reduce((sum, value) => sum + (value - mean) ** 2, 0) / all.length);
}

const argmax = (row: Float32Array): number => row.reduce((best, value, index) => (value > (row[best] as number) ? index : best), 0);

describe('dequantize_whisper.py', () => {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  let out: string;
  let report: Record<string, { linear: number; lookups: number; weights: number } | boolean | string>;

  beforeAll(async () => {
    ensureTinyModels();
    temp = await makeTempDir('dequantize');
    out = path.join(temp.dir, 'tiny-fp32');
    report = JSON.parse(execFileSync(python(), [SCRIPT, TINY_MULTILINGUAL, out], { encoding: 'utf8' }));
  }, 120_000);
  afterAll(async () => temp.cleanup());

  it('rewrites every quantized MatMul and both branches’ token lookups, and reuses its output', () => {
    expect(report.cached).toBe(false);
    // Encoder: q, k, v, out and two feed-forward layers per layer (2 layers); decoder: both If branches.
    expect(report['encoder_model.onnx']).toMatchObject({ linear: 12, lookups: 0, weights: 12 });
    expect(report['decoder_model_merged.onnx']).toMatchObject({ lookups: 2 });
    const again = JSON.parse(execFileSync(python(), [SCRIPT, TINY_MULTILINGUAL, out], { encoding: 'utf8' })) as { cached: boolean };
    expect(again.cached).toBe(true);
  }, 120_000);

  it('gives the fp32 network’s logits up to the 8-bit rounding of the weights', async () => {
    const audio = await decodeAll(realDecoder(), audioFile('jfk.wav'));
    const original = await logits(TINY_MULTILINGUAL, 'fp32', audio);
    const quantized = await logits(TINY_MULTILINGUAL, 'q8', audio);
    const dequantized = await logits(out, 'fp32', audio);
    const scale = spread(original);
    const fromDequantized = differences(dequantized, original);
    const fromQuantized = differences(quantized, original);
    expect(fromDequantized.max).toBeLessThan(0.05 * scale);
    // Without the per-call rounding of the activations it is closer to fp32 than the 8-bit file it came from.
    expect(fromDequantized.mean).toBeLessThan(fromQuantized.mean);
    expect(dequantized.map(argmax)).toEqual(original.map(argmax));
  }, 120_000);
});
