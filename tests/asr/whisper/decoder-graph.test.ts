/**
 * The decoder rewritten to share one copy of the prompt's self-attention gives the logits the merged decoder
 * gives with the prompt copied into every row, and returns only the rows' own tokens as their cache; rewritten
 * to compute logits for chosen positions, it gives those rows.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { readWhisperModelFiles } from '../../../src-main/asr/whisper/model-files';
import { LOGIT_ROWS_INPUT, selectLogitRows } from '../../../src-main/asr/whisper/decoder-graph/logit-rows';
import { readRewrittenDecoder } from '../../../src-main/asr/whisper/decoder-graph/read-decoder';
import { shareDecoderPrompt, sharedPromptInput } from '../../../src-main/asr/whisper/decoder-graph/shared-prompt';
import { stackCrossAttentionRows } from '../../../src-main/asr/whisper/decoder-graph/stacked-cross-attention';
import { hasExactInt8DotProduct } from '../../../src-main/onnx/cpu-features';
import { decodeOnnxModel, encodeOnnxModel } from '../../../src-main/onnx/onnx-model';
import { realWhisperModels, TINY_MULTILINGUAL } from '../../support/paths';
import { maxDifference, seeded, transposedTimes } from './graph-support';

const KINDS = ['key', 'value'] as const;

interface Shapes {
  layers: number;
  heads: number;
  headDim: number;
  frames: number;
}

function feeds(
  shapes: Shapes,
  rows: number[][],
  past: { tensors: Float32Array[]; length: number } | null,
  cross: Record<string, Tensor>,
): Record<string, Tensor> {
  const { layers, heads, headDim } = shapes;
  const batch = rows.length;
  const result: Record<string, Tensor> = {
    input_ids: new Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [batch, (rows[0] as number[]).length]),
    encoder_hidden_states: new Tensor('float32', new Float32Array(batch * heads * headDim), [batch, 1, heads * headDim]),
    use_cache_branch: new Tensor('bool', [true], [1]),
    ...cross,
  };
  for (let layer = 0; layer < layers; layer += 1) {
    KINDS.forEach((kind, k) => {
      const data = past?.tensors[layer * 2 + k] ?? new Float32Array(0);
      result[`past_key_values.${layer}.decoder.${kind}`] = new Tensor('float32', data, [batch, heads, past?.length ?? 0, headDim]);
    });
  }
  return result;
}

function withShared(
  shapes: Shapes,
  base: Record<string, Tensor>,
  prompt: { tensors: Float32Array[]; length: number },
): Record<string, Tensor> {
  const result = { ...base };
  for (let layer = 0; layer < shapes.layers; layer += 1) {
    KINDS.forEach((kind, k) => {
      result[sharedPromptInput(layer, kind)] = new Tensor('float32', prompt.tensors[layer * 2 + k] as Float32Array, [
        1,
        shapes.heads,
        prompt.length,
        shapes.headDim,
      ]);
    });
  }
  return result;
}

const repeatRows = (data: Float32Array, rows: number): Float32Array => {
  const out = new Float32Array(data.length * rows);
  for (let row = 0; row < rows; row += 1) out.set(data, row * data.length);
  return out;
};

function rowsOf(logits: Float32Array, positions: number, rows: readonly number[]): Float32Array {
  const vocab = logits.length / positions;
  const out = new Float32Array(rows.length * vocab);
  rows.forEach((row, index) => out.set(logits.subarray(row * vocab, (row + 1) * vocab), index * vocab));
  return out;
}

async function compare(modelDir: string, expectLogitRows: boolean): Promise<void> {
  const files = await readWhisperModelFiles(modelDir, 'q8');
  const { architecture } = files;
  const shapes: Shapes = {
    layers: architecture.decoder_layers,
    heads: architecture.decoder_attention_heads,
    headDim: architecture.d_model / architecture.decoder_attention_heads,
    frames: architecture.max_source_positions,
  };
  const rewritten = await readRewrittenDecoder(files.decoderPath, architecture, hasExactInt8DotProduct());
  expect(rewritten?.sharesPrompt).toBe(true);
  expect(rewritten?.selectsLogitRows).toBe(expectLogitRows);
  expect(rewritten?.stacksCrossAttention).toBe(true);
  const options: InferenceSession.SessionOptions = { intraOpNumThreads: 1, logSeverityLevel: 3 };
  const original = await InferenceSession.create(files.decoderPath, options);
  const shared = await InferenceSession.create(rewritten?.bytes as Uint8Array, options);
  const withRows = (input: Record<string, Tensor>, rows: readonly number[]): Record<string, Tensor> =>
    expectLogitRows ? { ...input, [LOGIT_ROWS_INPUT]: new Tensor('int64', BigInt64Array.from(rows, BigInt), [rows.length]) } : input;
  try {
    const cross: Record<string, Tensor> = {};
    for (let layer = 0; layer < shapes.layers; layer += 1) {
      KINDS.forEach((kind, k) => {
        const size = shapes.heads * shapes.frames * shapes.headDim;
        cross[`past_key_values.${layer}.encoder.${kind}`] = new Tensor('float32', seeded(size, 7 + layer * 2 + k), [
          1,
          shapes.heads,
          shapes.frames,
          shapes.headDim,
        ]);
      });
    }
    // The rewritten decoder takes the keys as the projector hands them over: transposed and scaled.
    const sharedCross = Object.fromEntries(
      Object.entries(cross).map(([name, tensor]) => [
        name,
        rewritten?.transposesCrossKeys && name.endsWith('.key') ? transposedTimes(tensor, 1 / Math.sqrt(shapes.headDim)) : tensor,
      ]),
    );
    const presents = Array.from({ length: shapes.layers }, (_, layer) => KINDS.map((kind) => `present.${layer}.decoder.${kind}`)).flat();
    const emptyPrompt = { tensors: presents.map(() => new Float32Array(0)), length: 0 };
    const prompt = [50258, 50259, 50359, 440, 2068, 3380, 263, 300];
    const byOriginal = await original.run(feeds(shapes, [prompt], null, cross), ['logits', ...presents]);
    // The engine reads two rows of a prompt pass: <|startoftranscript|>'s and the last.
    const promptRows = [0, prompt.length - 1];
    const byShared = await shared.run(
      only(shared, withRows(withShared(shapes, feeds(shapes, [prompt], null, sharedCross), emptyPrompt), promptRows)),
      ['logits', ...presents],
    );
    const expectedPromptLogits = byOriginal.logits?.data as Float32Array;
    if (expectLogitRows) {
      expect(byShared.logits?.dims).toEqual([1, 2, architecture.vocab_size]);
      expectClose(byShared.logits?.data as Float32Array, rowsOf(expectedPromptLogits, prompt.length, promptRows));
    } else {
      expectClose(byShared.logits?.data as Float32Array, expectedPromptLogits);
    }
    const promptCache = { tensors: presents.map((name) => byShared[name]?.data as Float32Array), length: prompt.length };

    // Three rows decoded from the prompt: the original holds the prompt in every row, the rewrite once.
    let full = { tensors: promptCache.tensors.map((data) => repeatRows(data, 3)), length: prompt.length };
    let own: { tensors: Float32Array[]; length: number } = { tensors: presents.map(() => new Float32Array(0)), length: 0 };
    for (const step of [
      [[11], [12], [13]],
      [[21], [22], [23]],
      [[31], [32], [33]],
    ]) {
      const expected = await original.run(feeds(shapes, step, full, cross), ['logits', ...presents]);
      const actual = await shared.run(only(shared, withRows(withShared(shapes, feeds(shapes, step, own, sharedCross), promptCache), [0])), [
        'logits',
        ...presents,
      ]);
      expectClose(actual.logits?.data as Float32Array, expected.logits?.data as Float32Array);
      expect(actual[presents[0] as string]?.dims[2]).toBe(own.length + 1);
      full = { tensors: presents.map((name) => expected[name]?.data as Float32Array), length: full.length + 1 };
      own = { tensors: presents.map((name) => actual[name]?.data as Float32Array), length: own.length + 1 };
    }
    // The prompt is really read: without it the rows decode differently.
    const blind = await shared.run(
      only(
        shared,
        withRows(
          withShared(shapes, feeds(shapes, [[11], [12], [13]], null, sharedCross), {
            tensors: promptCache.tensors.map((data) => new Float32Array(data.length)),
            length: prompt.length,
          }),
          [0],
        ),
      ),
      ['logits'],
    );
    const withPrompt = await original.run(
      feeds(shapes, [[11], [12], [13]], { tensors: promptCache.tensors.map((data) => repeatRows(data, 3)), length: prompt.length }, cross),
      ['logits'],
    );
    expect(maxDifference(blind.logits?.data as Float32Array, withPrompt.logits?.data as Float32Array)).toBeGreaterThan(1e-3);
  } finally {
    await Promise.all([original.release(), shared.release()]);
  }
}

/** The feeds `session` takes (the promoted decoder has no `encoder_hidden_states` or `use_cache_branch`). */
function only(session: InferenceSession, input: Record<string, Tensor>): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(input).filter(([name]) => session.inputNames.includes(name)));
}

function expectClose(actual: Float32Array, expected: Float32Array): void {
  // Summation order differs (two partial softmax·V products); the 8-bit activations can round differently.
  expect(maxDifference(actual, expected)).toBeLessThan(0.05);
}

describe('shared-prompt decoder', () => {
  it('matches the merged decoder on the generated tiny model (whose logits depend on position: all rows kept)', async () => {
    await compare(TINY_MULTILINGUAL, false);
  }, 120_000);

  for (const { modelId, dir } of realWhisperModels()) {
    it(`matches the merged decoder on real ${modelId}`, async () => {
      await compare(dir, true);
    }, 300_000);
  }

  it('leaves a graph it does not recognise untouched and says so', async () => {
    const files = await readWhisperModelFiles(TINY_MULTILINGUAL, 'q8');
    const bytes = readFileSync(files.decoderPath);
    const model = decodeOnnxModel(bytes);
    const layers = files.architecture.decoder_layers;
    const heads = files.architecture.decoder_attention_heads;
    const headDim = files.architecture.d_model / heads;
    expect(shareDecoderPrompt(model, layers + 1, files.architecture.max_target_positions)).toBe(false);
    expect(shareDecoderPrompt(model, layers, files.architecture.max_target_positions + 1)).toBe(false);
    expect(Buffer.from(encodeOnnxModel(model)).equals(Buffer.from(encodeOnnxModel(decodeOnnxModel(bytes))))).toBe(true);
    expect(selectLogitRows(decodeOnnxModel(readFileSync(files.encoderPath)))).toBe(false);
    expect(stackCrossAttentionRows(model, layers + 1, heads, headDim)).toBe(false);
    expect(Buffer.from(encodeOnnxModel(model)).equals(Buffer.from(encodeOnnxModel(decodeOnnxModel(bytes))))).toBe(true);
    // An encoder is no decoder: only its 8-bit weights are signed.
    expect(await readRewrittenDecoder(files.encoderPath, files.architecture, true)).toMatchObject({
      sharesPrompt: false,
      selectsLogitRows: false,
      stacksCrossAttention: false,
      transposesCrossKeys: false,
      signsWeights: true,
    });
    expect(await readRewrittenDecoder(path.join(TINY_MULTILINGUAL, 'missing.onnx'), files.architecture, true)).toBeNull();
  });
});
