/**
 * The encoder's attention computed in blocks of query rows gives the original's outputs bit for bit (on the full
 * context and, through the shorter-context rewrite, on fewer frames, including a block left empty), holds one
 * block's scores at a time, and leaves a graph without such attention alone.
 */
import { readFileSync } from 'node:fs';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { chunkEncoderAttention } from '../../../src-main/asr/whisper/encoder-graph/chunked-attention';
import { acceptShorterContext } from '../../../src-main/asr/whisper/encoder-graph/shorter-context';
import { readWhisperModelFiles } from '../../../src-main/asr/whisper/model-files';
import { decodeOnnxModel, encodeOnnxModel, intAttribute, onnxNode, type OnnxModel } from '../../../src-main/onnx/onnx-model';
import { realWhisperModels, TINY_MULTILINGUAL } from '../../support/paths';
import { expectSameEncoding, floatInfo, GRAPH_TEST_OPTIONS, handMadeModel, seeded } from './graph-support';

const softmaxCount = (model: OnnxModel): number => model.graph.node.filter((node) => node.op_type === 'Softmax').length;

describe('encoder attention in blocks of query rows', () => {
  it('gives the same encoding bit for bit, on the full context and on fewer frames (generated tiny model)', async () => {
    const files = await readWhisperModelFiles(TINY_MULTILINGUAL, 'q8');
    const { num_mel_bins: mels, max_source_positions: positions, encoder_attention_heads: heads } = files.architecture;
    const bytes = readFileSync(files.encoderPath);
    const layers = softmaxCount(decodeOnnxModel(bytes));
    expect(layers).toBeGreaterThan(0);
    // Its own budget would keep this small model whole: a budget of 0.3 of one layer's scores makes 4 blocks of
    // 375 rows (on 1400 positions below, the last one holds 275; on 300, three are empty).
    const budget = Math.floor(0.3 * heads * positions * positions * 4);

    const chunked = decodeOnnxModel(bytes);
    expect(chunkEncoderAttention(chunked, heads, positions, budget)).toBe(true);
    expect(softmaxCount(chunked)).toBe(4 * layers);
    await expectSameEncoding(decodeOnnxModel(bytes), chunked, mels, 2 * positions);

    // With a free frame count: 600 frames are 300 positions, all in the first block; the others are empty.
    const fitted = decodeOnnxModel(bytes);
    const fittedChunked = decodeOnnxModel(bytes);
    expect(acceptShorterContext(fitted, positions) && acceptShorterContext(fittedChunked, positions)).toBe(true);
    expect(chunkEncoderAttention(fittedChunked, heads, positions, budget)).toBe(true);
    await expectSameEncoding(fitted, fittedChunked, mels, 600);
    await expectSameEncoding(fitted, fittedChunked, mels, 2 * positions - 200);
  }, 120_000);

  it('splits attention laid out [batch × heads, frames, dim] too, bit for bit', async () => {
    const [heads, frames, dim] = [4, 50, 8];
    const build = (): OnnxModel =>
      handMadeModel({
        name: 'attention',
        node: [
          onnxNode('MatMul', ['queries', 'keys'], ['scores']),
          onnxNode('Softmax', ['scores'], ['probabilities'], [intAttribute('axis', -1)]),
          onnxNode('MatMul', ['probabilities', 'values'], ['weighted']),
        ],
        initializer: [],
        input: [
          floatInfo('queries', [heads, 'frames', dim]),
          floatInfo('keys', [heads, dim, 'frames']),
          floatInfo('values', [heads, 'frames', dim]),
        ],
        output: [floatInfo('weighted', [heads, 'frames', dim])],
      });
    const chunked = build();
    // 3 blocks of 17 rows over 50 frames.
    expect(chunkEncoderAttention(chunked, heads, frames, Math.ceil((heads * frames * frames * 4) / 3))).toBe(true);
    const [whole, blocks] = await Promise.all([
      InferenceSession.create(encodeOnnxModel(build()), GRAPH_TEST_OPTIONS),
      InferenceSession.create(encodeOnnxModel(chunked), GRAPH_TEST_OPTIONS),
    ]);
    try {
      const feeds = {
        queries: new Tensor('float32', seeded(heads * frames * dim, 1), [heads, frames, dim]),
        keys: new Tensor('float32', seeded(heads * frames * dim, 2), [heads, dim, frames]),
        values: new Tensor('float32', seeded(heads * frames * dim, 3), [heads, frames, dim]),
      };
      const expected = (await whole.run(feeds)).weighted as Tensor;
      const actual = (await blocks.run(feeds)).weighted as Tensor;
      expect(actual.dims).toEqual([heads, frames, dim]);
      expect(Buffer.from(actual.data as Float32Array).equals(Buffer.from(expected.data as Float32Array))).toBe(true);
    } finally {
      await Promise.all([whole.release(), blocks.release()]);
    }
  });

  it('keeps attention whole when one block holds it, and leaves a graph without attention untouched', async () => {
    const files = await readWhisperModelFiles(TINY_MULTILINGUAL, 'q8');
    const { max_source_positions: positions, encoder_attention_heads: heads } = files.architecture;
    const encoder = decodeOnnxModel(readFileSync(files.encoderPath));
    expect(chunkEncoderAttention(encoder, heads, positions, heads * positions * positions * 4)).toBe(false);
    const decoderBytes = readFileSync(files.decoderPath);
    const decoder = decodeOnnxModel(decoderBytes);
    // The merged decoder's attention sits in its If branches, not in the graph the rewrite reads.
    expect(chunkEncoderAttention(decoder, heads, positions, 1)).toBe(false);
    expect(Buffer.from(encodeOnnxModel(decoder)).equals(Buffer.from(encodeOnnxModel(decodeOnnxModel(decoderBytes))))).toBe(true);
  });

  for (const { modelId, dir } of realWhisperModels()) {
    it(`gives the same encoding bit for bit on 3000 frames, in blocks (real ${modelId})`, async () => {
      const files = await readWhisperModelFiles(dir, 'q8');
      const { num_mel_bins: mels, max_source_positions: positions, encoder_attention_heads: heads } = files.architecture;
      const bytes = readFileSync(files.encoderPath);
      const chunked = decodeOnnxModel(bytes);
      expect(chunkEncoderAttention(chunked, heads, positions)).toBe(true);
      const layers = softmaxCount(decodeOnnxModel(bytes));
      expect(softmaxCount(chunked) % layers).toBe(0);
      expect(softmaxCount(chunked) / layers).toBeGreaterThan(1);
      await expectSameEncoding(decodeOnnxModel(bytes), chunked, mels, 2 * positions);
    }, 120_000);
  }
});
