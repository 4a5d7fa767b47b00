/**
 * 8-bit weights stored signed give the very same outputs as the unsigned originals (the products read only
 * w − zp), and a model whose uint8 weights are read anywhere else is left alone.
 */
import { readFileSync } from 'node:fs';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { readWhisperModelFiles } from '../../src-main/asr/whisper/model-files';
import { hasExactInt8DotProduct } from '../../src-main/onnx/cpu-features';
import { decodeOnnxModel, encodeOnnxModel, onnxNode } from '../../src-main/onnx/onnx-model';
import { signInt8Weights } from '../../src-main/onnx/signed-weights';
import { realWhisperModels, TINY_MULTILINGUAL } from '../support/paths';

function seeded(length: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  });
}

const OPTIONS: InferenceSession.SessionOptions = { intraOpNumThreads: 1, logSeverityLevel: 3 };

/** Runs the original and the signed model on the same feeds; every output must be equal bit for bit. */
async function expectSameOutputs(path: string, feeds: Record<string, Tensor>): Promise<void> {
  const model = decodeOnnxModel(readFileSync(path));
  expect(signInt8Weights(model)).toBe(true);
  const original = await InferenceSession.create(path, OPTIONS);
  const signed = await InferenceSession.create(encodeOnnxModel(model), OPTIONS);
  try {
    const [expected, actual] = [await original.run(feeds), await signed.run(feeds)];
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, tensor] of Object.entries(expected)) {
      expect(actual[name]?.dims).toEqual(tensor.dims);
      expect(Buffer.from((actual[name] as Tensor).data as Float32Array).equals(Buffer.from(tensor.data as Float32Array))).toBe(true);
    }
  } finally {
    await Promise.all([original.release(), signed.release()]);
  }
}

async function compareWhisper(dir: string): Promise<void> {
  const files = await readWhisperModelFiles(dir, 'q8');
  const { num_mel_bins: mels, max_source_positions: positions, d_model: width } = files.architecture;
  const frames = positions * 2;
  await expectSameOutputs(files.encoderPath, {
    input_features: new Tensor('float32', seeded(mels * frames, 3), [1, mels, frames]),
  });
  // The merged decoder's first step: from encoder states to logits and cross-attention, through the tied
  // token embedding (Gather → DequantizeLinear, and transposed for the vocabulary projection).
  const heads = files.architecture.decoder_attention_heads;
  const decoderFeeds: Record<string, Tensor> = {
    input_ids: new Tensor('int64', BigInt64Array.from([50258n, 50259n, 50359n, 440n]), [1, 4]),
    encoder_hidden_states: new Tensor('float32', seeded(positions * width, 5), [1, positions, width]),
    use_cache_branch: new Tensor('bool', [false], [1]),
  };
  for (let layer = 0; layer < files.architecture.decoder_layers; layer += 1) {
    for (const part of ['decoder', 'encoder']) {
      for (const kind of ['key', 'value']) {
        decoderFeeds[`past_key_values.${layer}.${part}.${kind}`] = new Tensor('float32', new Float32Array(0), [1, heads, 0, width / heads]);
      }
    }
  }
  await expectSameOutputs(files.decoderPath, decoderFeeds);
}

describe('signed 8-bit weights', () => {
  // Only a CPU with VNNI multiplies u8·s8 exactly; elsewhere the engine keeps the weights unsigned.
  const exact = hasExactInt8DotProduct();

  it.runIf(exact)('give the same encoder and decoder outputs bit for bit (generated tiny model)', async () => {
    await compareWhisper(TINY_MULTILINGUAL);
  });

  for (const { modelId, dir } of realWhisperModels()) {
    it.runIf(exact)(
      `give the same encoder and decoder outputs bit for bit (real ${modelId})`,
      async () => {
        await compareWhisper(dir);
      },
      120_000,
    );
  }

  it('leave a model alone whose uint8 weights are read by another op, or that has none', async () => {
    const files = await readWhisperModelFiles(TINY_MULTILINGUAL, 'q8');
    const bytes = readFileSync(files.encoderPath);
    const model = decodeOnnxModel(bytes);
    const weight = model.graph.node.find((node) => node.op_type === 'MatMulInteger')?.input[1] as string;
    // A Cast of the raw weight would see different values once it is signed.
    model.graph.node.push(onnxNode('Cast', [weight], ['weight_as_float'], [{ name: 'to', type: 2, i: 1 }]));
    const before = Buffer.from(encodeOnnxModel(model));
    expect(signInt8Weights(model)).toBe(false);
    expect(Buffer.from(encodeOnnxModel(model)).equals(before)).toBe(true);

    const fp32 = decodeOnnxModel(bytes);
    expect(signInt8Weights(fp32)).toBe(true);
    expect(signInt8Weights(fp32)).toBe(false);
  });

  it('are used only where the CPU has an exact u8·s8 dot product (VNNI)', () => {
    const linuxX64 = process.platform === 'linux' && process.arch === 'x64';
    const cpuinfo = (flags: string) => () => `processor\t: 0\nflags\t\t: fpu sse2 ${flags}\n`;
    expect(hasExactInt8DotProduct(cpuinfo('avx2 avx512f avx512_vnni'))).toBe(linuxX64);
    expect(hasExactInt8DotProduct(cpuinfo('avx2 avx_vnni'))).toBe(linuxX64);
    expect(hasExactInt8DotProduct(cpuinfo('avx2 fma avx512f'))).toBe(false);
    expect(
      hasExactInt8DotProduct(() => {
        throw new Error('no /proc');
      }),
    ).toBe(false);
  });
});
