/**
 * The merged decoder split in two: the projector gives the first-step branch's cross-attention keys and values
 * bit for bit (the keys transposed and scaled, as the decoder then takes them), and the promoted cached branch
 * (no `If` left) gives the first step's logits from them, within the one-row kernel's rounding. A graph without
 * the merged layout is left alone.
 */
import { readFileSync } from 'node:fs';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { readWhisperModelFiles } from '../../../src-main/asr/whisper/model-files';
import { cachedBranch } from '../../../src-main/asr/whisper/decoder-graph/cached-branch';
import { ENCODER_STATES_INPUT, promoteCachedBranch } from '../../../src-main/asr/whisper/decoder-graph/promoted-branch';
import { readRewrittenDecoder } from '../../../src-main/asr/whisper/decoder-graph/read-decoder';
import { hasExactInt8DotProduct } from '../../../src-main/onnx/cpu-features';
import { decodeOnnxModel, encodeOnnxModel, onnxNode } from '../../../src-main/onnx/onnx-model';
import { realWhisperModels, TINY_MULTILINGUAL } from '../../support/paths';
import { maxDifference, sameBits, seeded, transposedTimes } from './graph-support';

const OPTIONS: InferenceSession.SessionOptions = { intraOpNumThreads: 1, logSeverityLevel: 3 };
const SOT = 50258;

async function compare(modelDir: string): Promise<void> {
  const files = await readWhisperModelFiles(modelDir, 'q8');
  const { decoder_layers: layers, decoder_attention_heads: heads, d_model: width, max_source_positions: frames } = files.architecture;
  const rewritten = await readRewrittenDecoder(files.decoderPath, files.architecture, hasExactInt8DotProduct());
  expect(rewritten?.projector).toBeInstanceOf(Uint8Array);
  const promotedGraph = decodeOnnxModel(rewritten?.bytes as Uint8Array).graph;
  expect(promotedGraph.node.some((node) => node.op_type === 'If')).toBe(false);

  const [merged, projector, decoder] = await Promise.all([
    InferenceSession.create(files.decoderPath, OPTIONS),
    InferenceSession.create(rewritten?.projector as Uint8Array, OPTIONS),
    InferenceSession.create(rewritten?.bytes as Uint8Array, OPTIONS),
  ]);
  try {
    expect(decoder.inputNames).not.toContain(ENCODER_STATES_INPUT);
    expect(decoder.inputNames).not.toContain('use_cache_branch');
    const empty = new Tensor('float32', new Float32Array(0), [1, heads, 0, width / heads]);
    const states = new Tensor('float32', seeded(frames * width, 3), [1, frames, width]);
    const firstStep: Record<string, Tensor> = {
      input_ids: new Tensor('int64', BigInt64Array.from([BigInt(SOT)]), [1, 1]),
      [ENCODER_STATES_INPUT]: states,
      use_cache_branch: new Tensor('bool', [false], [1]),
    };
    for (let layer = 0; layer < layers; layer += 1) {
      for (const part of ['decoder', 'encoder'])
        for (const kind of ['key', 'value']) firstStep[`past_key_values.${layer}.${part}.${kind}`] = empty;
    }
    const expected = await merged.run(firstStep);
    const projected = await projector.run({ [ENCODER_STATES_INPUT]: states });
    expect(projector.outputNames.length).toBe(2 * layers);
    expect(rewritten?.transposesCrossKeys).toBe(true);
    for (const name of projector.outputNames) {
      const merged = expected[name] as Tensor;
      expect(sameBits(projected[name], name.endsWith('.key') ? transposedTimes(merged, 1 / Math.sqrt(width / heads)) : merged), name).toBe(
        true,
      );
    }

    const cached: Record<string, Tensor> = { input_ids: firstStep.input_ids as Tensor };
    for (const name of decoder.inputNames) {
      if (name.startsWith('past_key_values.')) cached[name] = projected[name.replace('past_key_values.', 'present.')] ?? empty;
      else if (name.startsWith('shared_prompt.')) cached[name] = empty;
      else if (name === 'logit_rows') cached[name] = new Tensor('int64', new BigInt64Array(1), [1]);
    }
    const first = await decoder.run(cached, ['logits']);
    expect(first.logits?.dims).toEqual(expected.logits?.dims);
    expect(maxDifference(first.logits?.data as Float32Array, expected.logits?.data as Float32Array)).toBeLessThan(0.05);
  } finally {
    await Promise.all([merged.release(), projector.release(), decoder.release()]);
  }
}

describe('merged decoder split into a cross-attention projector and its cached branch', () => {
  it('gives the first step bit for bit (generated tiny model)', async () => {
    await compare(TINY_MULTILINGUAL);
  }, 120_000);

  for (const { modelId, dir } of realWhisperModels()) {
    it(`gives the first step bit for bit (real ${modelId})`, async () => {
      await compare(dir);
    }, 300_000);
  }

  it('leaves a merged decoder whose cached branch reads the encoder states untouched', async () => {
    const files = await readWhisperModelFiles(TINY_MULTILINGUAL, 'q8');
    const model = decodeOnnxModel(readFileSync(files.decoderPath));
    const cached = cachedBranch(model);
    if (!cached) throw new Error('the generated decoder has no cached branch');
    cached.branch.node.push(onnxNode('Shape', [ENCODER_STATES_INPUT], ['encoder_states_shape']));
    const before = Buffer.from(encodeOnnxModel(model));
    expect(promoteCachedBranch(model)).toBeNull();
    expect(Buffer.from(encodeOnnxModel(model)).equals(before)).toBe(true);
  });

  it('leaves a graph without the merged layout untouched', async () => {
    const files = await readWhisperModelFiles(TINY_MULTILINGUAL, 'q8');
    const bytes = readFileSync(files.encoderPath);
    const encoder = decodeOnnxModel(bytes);
    expect(promoteCachedBranch(encoder)).toBeNull();
    expect(Buffer.from(encodeOnnxModel(encoder)).equals(bytes)).toBe(true);
  });
});
