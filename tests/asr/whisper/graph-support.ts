/** Helpers shared by the tests of the Whisper graph rewrites. */
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { expect } from 'vitest';
import { encodeOnnxModel, ONNX_FLOAT, type OnnxGraph, type OnnxModel, type OnnxValueInfo } from '../../../src-main/onnx/onnx-model';

/** Repeatable values in [−0.5, 0.5). */
export function seeded(length: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  });
}

export const GRAPH_TEST_OPTIONS: InferenceSession.SessionOptions = { graphOptimizationLevel: 'all', logSeverityLevel: 3 };

/** The encoder output of `original` and `rewritten` on the same seeded features, which must be equal bit for bit. */
export async function expectSameEncoding(original: OnnxModel, rewritten: OnnxModel, mels: number, frames: number): Promise<void> {
  const [before, after] = await Promise.all([
    InferenceSession.create(encodeOnnxModel(original), GRAPH_TEST_OPTIONS),
    InferenceSession.create(encodeOnnxModel(rewritten), GRAPH_TEST_OPTIONS),
  ]);
  try {
    const feeds = { input_features: new Tensor('float32', seeded(mels * frames, 11), [1, mels, frames]) };
    const expected = (await before.run(feeds)).last_hidden_state as Tensor;
    const actual = (await after.run(feeds)).last_hidden_state as Tensor;
    expect(actual.dims).toEqual(expected.dims);
    expect(Buffer.from(actual.data as Float32Array).equals(Buffer.from(expected.data as Float32Array))).toBe(true);
  } finally {
    await Promise.all([before.release(), after.release()]);
  }
}

/** A float tensor's declaration; a string dimension is symbolic. */
export function floatInfo(name: string, shape: readonly (number | string)[]): OnnxValueInfo {
  const dim = shape.map((size) => (typeof size === 'string' ? { dim_param: size } : { dim_value: size }));
  return { name, type: { tensor_type: { elem_type: ONNX_FLOAT, shape: { dim } } } };
}

/** A hand-made model of one graph, opset 17. */
export function handMadeModel(graph: OnnxGraph): OnnxModel {
  return { ir_version: 8, opset_import: [{ domain: '', version: 17 }], graph } as OnnxModel;
}

/** Keys [1, heads, frames, headDim] → [1, heads, headDim, frames], times `scale`. */
export function transposedTimes(keys: Tensor, scale: number): Tensor {
  const [batch, heads, frames, width] = keys.dims as [number, number, number, number];
  const data = keys.data as Float32Array;
  const out = new Float32Array(data.length);
  for (let head = 0; head < batch * heads; head += 1) {
    for (let frame = 0; frame < frames; frame += 1) {
      for (let column = 0; column < width; column += 1) {
        out[(head * width + column) * frames + frame] = (data[(head * frames + frame) * width + column] as number) * scale;
      }
    }
  }
  return new Tensor('float32', out, [batch, heads, width, frames]);
}

/** Whether two tensors have the same shape and the same bits. */
export function sameBits(actual: Tensor | undefined, expected: Tensor | undefined): boolean {
  return (
    actual !== undefined &&
    expected !== undefined &&
    actual.dims.join() === expected.dims.join() &&
    Buffer.from(actual.data as Float32Array).equals(Buffer.from(expected.data as Float32Array))
  );
}

/** The largest absolute difference between two arrays of the same length. */
export function maxDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let index = 0; index < a.length; index += 1) max = Math.max(max, Math.abs((a[index] as number) - (b[index] as number)));
  return max;
}
