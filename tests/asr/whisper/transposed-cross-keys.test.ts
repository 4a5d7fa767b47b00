/**
 * The projector hands over the cross-attention keys transposed and scaled: they are exactly the keys it gave
 * before, transposed and times 1/√headDim, and the decoder gives the logits and caches it gave before bit for
 * bit on runs of several rows (a prompt pass, three rows of a step); a run of one row (MLAS's one-row kernel)
 * stays within rounding of them. A scale that is not a power of two leaves both graphs untouched.
 */
import { readFile } from 'node:fs/promises';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { readWhisperModelFiles } from '../../../src-main/asr/whisper/model-files';
import { selectLogitRows } from '../../../src-main/asr/whisper/decoder-graph/logit-rows';
import { ENCODER_STATES_INPUT, promoteCachedBranch } from '../../../src-main/asr/whisper/decoder-graph/promoted-branch';
import { shareDecoderPrompt } from '../../../src-main/asr/whisper/decoder-graph/shared-prompt';
import { stackCrossAttentionRows } from '../../../src-main/asr/whisper/decoder-graph/stacked-cross-attention';
import { transposeCrossKeys } from '../../../src-main/asr/whisper/decoder-graph/transposed-cross-keys';
import { decodeOnnxModel, encodeOnnxModel, type OnnxModel } from '../../../src-main/onnx/onnx-model';
import { realWhisperModels, TINY_MULTILINGUAL } from '../../support/paths';
import { maxDifference, sameBits, seeded, transposedTimes } from './graph-support';

const OPTIONS: InferenceSession.SessionOptions = { graphOptimizationLevel: 'all', intraOpNumThreads: 1, logSeverityLevel: 3 };
const PROMPT = [50258, 50259, 50359, 440, 2068, 3380, 263, 300];

interface Rewritten {
  decoder: OnnxModel;
  projector: OnnxModel;
}

/** The decoder as the engine rewrites it before this rewrite (signed weights aside). */
async function promoted(modelDir: string): Promise<Rewritten & { layers: number; heads: number; width: number; frames: number }> {
  const files = await readWhisperModelFiles(modelDir, 'q8');
  const { decoder_layers: layers, decoder_attention_heads: heads, d_model: width, max_source_positions: frames } = files.architecture;
  const decoder = decodeOnnxModel(await readFile(files.decoderPath));
  expect(shareDecoderPrompt(decoder, layers, files.architecture.max_target_positions)).toBe(true);
  selectLogitRows(decoder);
  expect(stackCrossAttentionRows(decoder, layers, heads, width / heads)).toBe(true);
  const projector = promoteCachedBranch(decoder);
  expect(projector).not.toBeNull();
  return { decoder, projector: projector as OnnxModel, layers, heads, width, frames };
}

/** One decoder run: `rows` of new tokens after `cache` (null: none), the prompt's cache shared by every row. */
async function run(
  session: InferenceSession,
  cross: Record<string, Tensor>,
  rows: number[][],
  shared: Record<string, Tensor> | null,
  logitRows: number[],
  heads: number,
  headDim: number,
): Promise<InferenceSession.ReturnType> {
  const feeds: Record<string, Tensor> = {
    input_ids: new Tensor('int64', BigInt64Array.from(rows.flat(), BigInt), [rows.length, rows[0]?.length ?? 0]),
    logit_rows: new Tensor('int64', BigInt64Array.from(logitRows, BigInt), [logitRows.length]),
  };
  for (const name of session.inputNames) {
    if (name.startsWith('past_key_values.') && name.includes('.encoder.'))
      feeds[name] = cross[name.replace('past_key_values.', 'present.')] as Tensor;
    else if (name.startsWith('past_key_values.'))
      feeds[name] = new Tensor('float32', new Float32Array(0), [rows.length, heads, 0, headDim]);
    else if (name.startsWith('shared_prompt.'))
      feeds[name] =
        shared?.[name.replace(/^shared_prompt\.(\d+)\.(key|value)$/, 'present.$1.decoder.$2')] ??
        new Tensor('float32', new Float32Array(0), [1, heads, 0, headDim]);
  }
  return session.run(feeds);
}

async function compare(modelDir: string): Promise<void> {
  const before = await promoted(modelDir);
  const after = await promoted(modelDir);
  const { layers, heads, width, frames } = before;
  const headDim = width / heads;
  expect(transposeCrossKeys(after.decoder, after.projector, layers)).toBe(true);
  const sessions = await Promise.all(
    [before.projector, before.decoder, after.projector, after.decoder].map((model) =>
      InferenceSession.create(encodeOnnxModel(model), OPTIONS),
    ),
  );
  const [projectorBefore, decoderBefore, projectorAfter, decoderAfter] = sessions as [
    InferenceSession,
    InferenceSession,
    InferenceSession,
    InferenceSession,
  ];
  try {
    const states = { [ENCODER_STATES_INPUT]: new Tensor('float32', seeded(frames * width, 3), [1, frames, width]) };
    const crossBefore = await projectorBefore.run(states);
    const crossAfter = await projectorAfter.run(states);
    for (const name of projectorBefore.outputNames) {
      const expected = name.endsWith('.key') ? transposedTimes(crossBefore[name] as Tensor, 1 / Math.sqrt(headDim)) : crossBefore[name];
      expect(sameBits(crossAfter[name], expected), name).toBe(true);
    }

    // Several rows: the prompt pass (8 positions) and three rows of a step from it, bit for bit.
    const promptBefore = await run(decoderBefore, crossBefore, [PROMPT], null, [0, PROMPT.length - 1], heads, headDim);
    const promptAfter = await run(decoderAfter, crossAfter, [PROMPT], null, [0, PROMPT.length - 1], heads, headDim);
    for (const name of decoderBefore.outputNames) expect(sameBits(promptAfter[name], promptBefore[name]), name).toBe(true);
    const stepRows = [[11], [12], [13]];
    const rowsBefore = await run(decoderBefore, crossBefore, stepRows, promptBefore, [0], heads, headDim);
    const rowsAfter = await run(decoderAfter, crossAfter, stepRows, promptBefore, [0], heads, headDim);
    for (const name of decoderBefore.outputNames) expect(sameBits(rowsAfter[name], rowsBefore[name]), name).toBe(true);

    // One row: the one-row kernel rounds its sums its own way.
    const oneBefore = await run(decoderBefore, crossBefore, [[11]], promptBefore, [0], heads, headDim);
    const oneAfter = await run(decoderAfter, crossAfter, [[11]], promptBefore, [0], heads, headDim);
    expect(maxDifference(oneAfter.logits?.data as Float32Array, oneBefore.logits?.data as Float32Array)).toBeLessThan(0.05);
  } finally {
    await Promise.all(sessions.map((session) => session.release()));
  }
}

describe('cross-attention keys transposed and scaled by the projector', () => {
  it('gives the same keys, and the same logits on runs of several rows (generated tiny model)', async () => {
    await compare(TINY_MULTILINGUAL);
  }, 120_000);

  for (const { modelId, dir } of realWhisperModels()) {
    it(`gives the same keys, and the same logits on runs of several rows (real ${modelId})`, async () => {
      await compare(dir);
    }, 300_000);
  }

  it('leaves both graphs untouched when the queries scale is not a power of two', async () => {
    const { decoder, projector, layers } = await promoted(TINY_MULTILINGUAL);
    const scales = decoder.graph.node
      .filter((node) => node.op_type === 'Mul')
      .flatMap((node) => decoder.graph.initializer.filter((tensor) => tensor.name === node.input[1] && tensor.dims.length === 0));
    expect(scales.length).toBeGreaterThan(0);
    for (const scale of scales) {
      scale.raw_data = new Uint8Array(new Float32Array([0.3]).buffer);
      delete scale.float_data;
    }
    const [decoderBytes, projectorBytes] = [encodeOnnxModel(decoder), encodeOnnxModel(projector)];
    expect(transposeCrossKeys(decoder, projector, layers)).toBe(false);
    expect(Buffer.from(encodeOnnxModel(decoder)).equals(Buffer.from(decoderBytes))).toBe(true);
    expect(Buffer.from(encodeOnnxModel(projector)).equals(Buffer.from(projectorBytes))).toBe(true);
  });
});
