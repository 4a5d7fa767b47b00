/**
 * The encoder's feed-forward blocks read the GELU's output quantised per block of 32 values (MatMulNBits over the
 * same 8-bit weights) instead of on one scale for the whole window: on real speech the encoding lands nearer the
 * exact products of those weights. Every other product stays as it was.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { quantizeFeedForwardInputsPerBlock } from '../../../src-main/asr/whisper/encoder-graph/block-activations';
import { fuseGelu } from '../../../src-main/asr/whisper/encoder-graph/fused-gelu';
import { WhisperFeatures } from '../../../src-main/asr/whisper/fast-features';
import { readWhisperModelFiles } from '../../../src-main/asr/whisper/model-files';
import { decodeOnnxModel, encodeOnnxModel, intAttribute, type OnnxModel } from '../../../src-main/onnx/onnx-model';
import { signInt8Weights } from '../../../src-main/onnx/signed-weights';
import { audioFile, decodeAll, realDecoder } from '../../audio/helpers';
import { realWhisperModels, TINY_MULTILINGUAL } from '../../support/paths';
import { GRAPH_TEST_OPTIONS } from './graph-support';

const count = (model: OnnxModel, op: string): number => model.graph.node.filter((node) => node.op_type === op).length;

/** Transformer layers of a model folder's encoder (config.json), one feed-forward block each. */
const encoderLayers = (dir: string): number =>
  (JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')) as { encoder_layers: number }).encoder_layers;

/** The same graph with MatMulNBits computing in float: the exact products of the dequantised weights. */
function exactProducts(model: OnnxModel): OnnxModel {
  for (const node of model.graph.node.filter((each) => each.op_type === 'MatMulNBits')) {
    node.attribute = [...node.attribute.filter((attribute) => attribute.name !== 'accuracy_level'), intAttribute('accuracy_level', 0)];
  }
  return model;
}

async function encode(model: OnnxModel, features: Float32Array, mels: number): Promise<Float32Array> {
  const session = await InferenceSession.create(encodeOnnxModel(model), GRAPH_TEST_OPTIONS);
  try {
    const feeds = { input_features: new Tensor('float32', features, [1, mels, features.length / mels]) };
    return (await session.run(feeds)).last_hidden_state?.data as Float32Array;
  } finally {
    await session.release();
  }
}

function meanDifference(a: Float32Array, b: Float32Array): number {
  let total = 0;
  for (let index = 0; index < a.length; index += 1) total += Math.abs((a[index] as number) - (b[index] as number));
  return total / a.length;
}

/** The encoder with its GELUs fused (as the engine loads it), optionally signed, then rewritten. */
function variants(bytes: Uint8Array, sign: boolean): { perTensor: OnnxModel; perBlock: OnnxModel; exact: OnnxModel; rewrote: boolean } {
  const load = (): OnnxModel => {
    const model = decodeOnnxModel(bytes);
    expect(fuseGelu(model)).toBe(true);
    if (sign) expect(signInt8Weights(model)).toBe(true);
    return model;
  };
  const perBlock = load();
  const exact = load();
  const rewrote = quantizeFeedForwardInputsPerBlock(perBlock);
  expect(quantizeFeedForwardInputsPerBlock(exact)).toBe(rewrote);
  return { perTensor: load(), perBlock, exact: exactProducts(exact), rewrote };
}

describe("the GELU's output quantised per block", () => {
  it('rewrites only the products that read a GELU, and the encoder still runs (generated tiny model)', async () => {
    const files = await readWhisperModelFiles(TINY_MULTILINGUAL, 'q8');
    const { perTensor, perBlock, rewrote } = variants(readFileSync(files.encoderPath), false);
    expect(rewrote).toBe(true);
    const layers = encoderLayers(TINY_MULTILINGUAL);
    expect(count(perBlock, 'MatMulNBits')).toBe(layers);
    expect(count(perBlock, 'MatMulInteger')).toBe(count(perTensor, 'MatMulInteger') - layers);
    expect(count(perBlock, 'DynamicQuantizeLinear')).toBe(count(perTensor, 'DynamicQuantizeLinear') - layers);
    const mels = files.architecture.num_mel_bins;
    const features = await new WhisperFeatures(files.preprocessor).logMel(await decodeAll(realDecoder(), audioFile('jfk.wav')));
    const encoded = await encode(perBlock, features, mels);
    expect(encoded.every(Number.isFinite)).toBe(true);
  }, 120_000);

  for (const { modelId, dir } of realWhisperModels()) {
    it(`lands nearer the exact products on real speech, signed weights or not (real ${modelId})`, async () => {
      const files = await readWhisperModelFiles(dir, 'q8');
      const bytes = readFileSync(files.encoderPath);
      const mels = files.architecture.num_mel_bins;
      const features = await new WhisperFeatures(files.preprocessor).logMel(await decodeAll(realDecoder(), audioFile('jfk.wav')));
      const unsigned = variants(bytes, false);
      const signed = variants(bytes, true);
      expect(count(signed.perBlock, 'MatMulNBits')).toBe(encoderLayers(dir));
      const [perTensor, perBlock, exact, signedPerBlock] = await Promise.all([
        encode(unsigned.perTensor, features, mels),
        encode(unsigned.perBlock, features, mels),
        encode(unsigned.exact, features, mels),
        encode(signed.perBlock, features, mels),
      ]);
      // Signing the other weights changes no product.
      expect(Buffer.from(signedPerBlock.buffer).equals(Buffer.from(perBlock.buffer))).toBe(true);
      const before = meanDifference(perTensor, exact);
      const after = meanDifference(perBlock, exact);
      console.log(`${modelId}: mean |encoding − exact products| ${before.toExponential(3)} → ${after.toExponential(3)}`);
      expect(after).toBeLessThan(before / 2);
    }, 240_000);
  }
});
