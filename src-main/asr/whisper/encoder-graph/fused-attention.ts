import {
  intAttribute,
  isTranspose,
  onnxNode,
  ONNX_ATTRIBUTE_FLOAT,
  ONNX_FLOAT,
  ONNX_INT64,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
} from '../../../onnx/onnx-model';

const MICROSOFT_DOMAIN = 'com.microsoft';

/** One self-attention of the encoder as exported: the [batch, frames, d_model] inputs and output it joins. */
interface SelfAttention {
  query: string;
  key: string;
  value: string;
  scale: number;
  /** The Reshape that merges the heads back: replaced by the fused node. */
  merge: OnnxNode;
  /** Every node from the three reshapes to `merge`, removed once the fused node stands in for them. */
  replaced: OnnxNode[];
}

interface GraphIndex {
  producer: (name: string) => OnnxNode | undefined;
  readers: (name: string) => OnnxNode[];
  initializer: (name: string) => OnnxTensor | undefined;
}

function int64Values(tensor: OnnxTensor | undefined): number[] | null {
  if (!tensor?.raw_data || tensor.data_type !== ONNX_INT64) return null;
  const bytes = tensor.raw_data;
  return Array.from(new BigInt64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), Number);
}

function floatScalar(tensor: OnnxTensor | undefined): number | null {
  if (!tensor?.raw_data || tensor.data_type !== ONNX_FLOAT || tensor.dims.length !== 0 || tensor.raw_data.byteLength !== 4) return null;
  return new DataView(tensor.raw_data.buffer, tensor.raw_data.byteOffset, 4).getFloat32(0, true);
}

/**
 * [batch, frames, d_model] → Reshape [0, 0, heads, headDim] → Transpose (0, 2, 1, 3): the projection feeding one
 * side of the attention, and the two nodes that split it into heads.
 */
function splitHeads(index: GraphIndex, transposed: string, heads: number): { input: string; nodes: OnnxNode[] } | null {
  const transpose = index.producer(transposed);
  if (!isTranspose(transpose, [0, 2, 1, 3]) || index.readers(transposed).length !== 1) return null;
  const reshape = index.producer(transpose.input[0] ?? '');
  if (reshape?.op_type !== 'Reshape' || index.readers(reshape.output[0] ?? '').length !== 1) return null;
  const shape = int64Values(index.initializer(reshape.input[1] ?? ''));
  if (shape?.length !== 4 || shape[2] !== heads) return null;
  return { input: reshape.input[0] as string, nodes: [reshape, transpose] };
}

function findSelfAttention(index: GraphIndex, softmax: OnnxNode, heads: number): SelfAttention | null {
  const axis = Number(softmax.attribute.find((attribute) => attribute.name === 'axis')?.i ?? -1);
  if (axis !== -1 && axis !== 3) return null;
  const scores = index.producer(softmax.input[0] ?? '');
  if (scores?.op_type !== 'MatMul' || index.readers(scores.output[0] ?? '').length !== 1) return null;
  // Query: split into heads, then scaled.
  const scaled = index.producer(scores.input[0] ?? '');
  if (scaled?.op_type !== 'Mul' || index.readers(scaled.output[0] ?? '').length !== 1) return null;
  const scaleAt = scaled.input.findIndex((name) => floatScalar(index.initializer(name)) !== null);
  const scale = floatScalar(index.initializer(scaled.input[scaleAt] ?? ''));
  const query = splitHeads(index, scaled.input[1 - scaleAt] ?? '', heads);
  // Key: split into heads, then transposed for the product.
  const keysTransposed = index.producer(scores.input[1] ?? '');
  if (!isTranspose(keysTransposed, [0, 1, 3, 2])) return null;
  if (index.readers(keysTransposed.output[0] ?? '').length !== 1) return null;
  const key = splitHeads(index, keysTransposed.input[0] ?? '', heads);
  // Value: softmax · V, then the heads merged back.
  const probabilityReaders = index.readers(softmax.output[0] ?? '');
  const context = probabilityReaders.length === 1 ? probabilityReaders[0] : undefined;
  if (context?.op_type !== 'MatMul' || context.input[0] !== softmax.output[0]) return null;
  const value = splitHeads(index, context.input[1] ?? '', heads);
  const contextReaders = index.readers(context.output[0] ?? '');
  const unsplit = contextReaders.length === 1 ? contextReaders[0] : undefined;
  if (!isTranspose(unsplit, [0, 2, 1, 3])) return null;
  const mergeReaders = index.readers(unsplit.output[0] ?? '');
  const merge = mergeReaders.length === 1 ? mergeReaders[0] : undefined;
  const mergeShape = int64Values(index.initializer(merge?.input[1] ?? ''));
  if (merge?.op_type !== 'Reshape' || mergeShape?.length !== 3) return null;
  if (scale === null || !query || !key || !value) return null;
  return {
    query: query.input,
    key: key.input,
    value: value.input,
    scale,
    merge,
    replaced: [...query.nodes, scaled, ...key.nodes, keysTransposed, scores, softmax, ...value.nodes, context, unsplit, merge],
  };
}

/**
 * Rewrites each self-attention of Whisper's encoder, exported as reshapes, transposes, two MatMuls and a softmax
 * over [heads, frames, frames] scores, as onnxruntime's fused `MultiHeadAttention` (com.microsoft), which
 * computes the same attention without keeping the scores. Works for any number of frames (the fitted encoder
 * too). Only when all `layers` attentions have that exact shape; mutates `model`; false (and `model` untouched)
 * otherwise.
 */
export function fuseEncoderAttention(model: OnnxModel, layers: number, heads: number): boolean {
  const graph = model.graph;
  const producers = new Map(graph.node.flatMap((node) => node.output.map((output) => [output, node] as const)));
  const readers = new Map<string, OnnxNode[]>();
  for (const node of graph.node) for (const input of node.input) readers.set(input, [...(readers.get(input) ?? []), node]);
  const initializers = new Map(graph.initializer.map((tensor) => [tensor.name, tensor]));
  const index: GraphIndex = {
    producer: (name) => producers.get(name),
    readers: (name) => readers.get(name) ?? [],
    initializer: (name) => initializers.get(name),
  };
  const attentions = graph.node.filter((node) => node.op_type === 'Softmax').map((softmax) => findSelfAttention(index, softmax, heads));
  if (attentions.length !== layers || attentions.some((attention) => attention === null)) return false;

  const removed = new Set<OnnxNode>();
  for (const attention of attentions as SelfAttention[]) {
    const fused = onnxNode(
      'MultiHeadAttention',
      [attention.query, attention.key, attention.value],
      [attention.merge.output[0] as string],
      [intAttribute('num_heads', heads), { name: 'scale', type: ONNX_ATTRIBUTE_FLOAT, f: attention.scale }],
    );
    fused.domain = MICROSOFT_DOMAIN;
    graph.node.splice(graph.node.indexOf(attention.merge), 1, fused);
    for (const node of attention.replaced) if (node !== attention.merge) removed.add(node);
  }
  graph.node = graph.node.filter((node) => !removed.has(node));
  model.opset_import ??= [];
  if (!model.opset_import.some((entry) => entry.domain === MICROSOFT_DOMAIN))
    model.opset_import.push({ domain: MICROSOFT_DOMAIN, version: 1 });
  return true;
}
