import { allGraphs, type OnnxModel, type OnnxNode } from './onnx-model';

const ONNX_UINT8 = 2;
const ONNX_INT8 = 3;

/** Where an 8-bit weight or zero point may be read: these inputs take int8 as well as uint8, in matching pairs. */
const PAIRED_INPUTS: Readonly<Record<string, readonly number[]>> = {
  MatMulInteger: [1, 3],
  DequantizeLinear: [0, 2],
};
/** Ops that pass a weight on unchanged in value (a tied embedding gathered, or transposed for the vocabulary). */
const PASS_THROUGH = new Set(['Gather', 'Transpose', 'Reshape', 'Identity']);

/**
 * Rewrites a dynamically quantised model's uint8 weights and zero points as int8 (w − 128 and zp − 128: the
 * differences w − zp the products use are unchanged, so the outputs are identical). onnxruntime multiplies
 * uint8 activations by int8 weights with the CPU's u8·s8 dot-product instructions (AVX-VNNI, AVX512-VNNI, ARM
 * dot product); uint8 by uint8 has no such instruction and takes a slower path. whisper-base's encoder: 1.0 →
 * 0.66–0.70 CPU s per 30 s window on 2 cores, bit for bit the same output. Every uint8 initializer must only
 * reach MatMulInteger's weight and zero point or DequantizeLinear's input and zero point (possibly through a
 * Gather, Transpose, Reshape or Identity), so that both halves of each pair change together. Mutates `model`;
 * false (and `model` untouched) when it has no uint8 initializers or one is read anywhere else.
 */
export function signInt8Weights(model: OnnxModel): boolean {
  const unsigned = model.graph.initializer.filter((tensor) => tensor.data_type === ONNX_UINT8 && tensor.raw_data !== undefined);
  if (unsigned.length === 0 || model.graph.initializer.some((tensor) => tensor.data_type === ONNX_UINT8 && !tensor.raw_data)) return false;
  const nodes = allGraphs(model.graph).flatMap((graph) => graph.node);
  const readers = new Map<string, { node: OnnxNode; index: number }[]>();
  for (const node of nodes) {
    node.input.forEach((name, index) => readers.set(name, [...(readers.get(name) ?? []), { node, index }]));
  }
  const readOnlyAsWeight = (name: string, depth: number): boolean =>
    depth < 4 &&
    (readers.get(name) ?? []).every(({ node, index }) => {
      if (PAIRED_INPUTS[node.op_type]?.includes(index)) return true;
      return PASS_THROUGH.has(node.op_type) && index === 0 && node.output.every((output) => readOnlyAsWeight(output, depth + 1));
    });
  if (!unsigned.every((tensor) => readOnlyAsWeight(tensor.name, 0))) return false;
  // A graph output or a subgraph's declared value of type uint8 would now be int8: none may be one.
  const declared = allGraphs(model.graph).flatMap((graph) => [...graph.input, ...graph.output]);
  if (declared.some((value) => value.type?.tensor_type?.elem_type === ONNX_UINT8)) return false;
  for (const tensor of unsigned) {
    tensor.raw_data = flipTopBits(tensor.raw_data as Uint8Array);
    tensor.data_type = ONNX_INT8;
  }
  return true;
}

/** A copy of `bytes` with each byte's top bit flipped: as two's-complement bytes, w − 128. Four bytes at a time. */
function flipTopBits(bytes: Uint8Array): Uint8Array {
  const flipped = new Uint8Array(bytes);
  const words = new Uint32Array(flipped.buffer, 0, flipped.length >>> 2);
  for (let index = 0; index < words.length; index += 1) words[index] = (words[index] as number) ^ 0x80808080;
  for (let index = words.length * 4; index < flipped.length; index += 1) flipped[index] = (flipped[index] as number) ^ 0x80;
  return flipped;
}
