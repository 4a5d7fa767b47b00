import { readFile } from 'node:fs/promises';
import protobuf from 'protobufjs';
import { ONNX_PROTO } from './onnx-schema';

/** The parts of ONNX's protobuf messages this engine reads or writes (field names as in onnx.proto). */
export interface OnnxAttribute {
  name: string;
  type?: number;
  i?: number | protobuf.Long;
  ints?: (number | protobuf.Long)[];
  t?: OnnxTensor;
  g?: OnnxGraph;
}

export interface OnnxNode {
  name?: string;
  op_type: string;
  domain?: string;
  input: string[];
  output: string[];
  attribute: OnnxAttribute[];
}

export interface OnnxTensor {
  name: string;
  data_type: number;
  dims: (number | protobuf.Long)[];
  raw_data?: Uint8Array;
  float_data?: number[];
  int64_data?: (number | protobuf.Long)[];
  /** 1: the data is in an external file. */
  data_location?: number;
}

export interface OnnxDimension {
  dim_value?: number | protobuf.Long;
  dim_param?: string;
}

export interface OnnxValueInfo {
  name: string;
  type?: { tensor_type?: { elem_type: number; shape?: { dim: OnnxDimension[] } } };
}

export interface OnnxGraph {
  name?: string;
  node: OnnxNode[];
  initializer: OnnxTensor[];
  input: OnnxValueInfo[];
  output: OnnxValueInfo[];
}

export interface OnnxModel {
  graph: OnnxGraph;
}

/** TensorProto.DataType values used here. */
export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;
/** AttributeProto.AttributeType values used here. */
export const ONNX_ATTRIBUTE_INT = 2;
export const ONNX_ATTRIBUTE_INTS = 7;

let modelType: protobuf.Type | null = null;

function onnxModelType(): protobuf.Type {
  // keepCase: the field names stay as onnx.proto spells them (op_type, raw_data).
  modelType ??= protobuf.parse(ONNX_PROTO, { keepCase: true }).root.lookupType('onnx.ModelProto');
  return modelType;
}

/** A model file's bytes as a message tree; tensors' raw data are views into `bytes`, not copies. */
export function decodeOnnxModel(bytes: Uint8Array): OnnxModel {
  const type = onnxModelType();
  return type.decode(bytes) as unknown as OnnxModel;
}

export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const type = onnxModelType();
  return type.encode(model).finish();
}

/** Tensors stored outside the file (models over 2 GB): such a model cannot be loaded from rewritten bytes. */
export function hasExternalData(model: OnnxModel): boolean {
  const EXTERNAL = 1;
  return model.graph.initializer.some((tensor) => tensor.data_location === EXTERNAL);
}

/** An int64 initializer (1-D, or a scalar for `dims` []). */
export function int64Tensor(name: string, values: readonly number[], dims: number[] = [values.length]): OnnxTensor {
  const data = new BigInt64Array(values.map((value) => BigInt(value)));
  return { name, data_type: ONNX_INT64, dims, raw_data: new Uint8Array(data.buffer) };
}

export function onnxNode(op_type: string, input: string[], output: string[], attribute: OnnxAttribute[] = []): OnnxNode {
  return { name: output[0] ?? op_type, op_type, input, output, attribute };
}

export function intAttribute(name: string, value: number): OnnxAttribute {
  return { name, type: ONNX_ATTRIBUTE_INT, i: value };
}

export function intsAttribute(name: string, values: readonly number[]): OnnxAttribute {
  return { name, type: ONNX_ATTRIBUTE_INTS, ints: [...values] };
}

/**
 * The model at `path` as bytes for onnxruntime after `rewrite` (which mutates the model and says whether it
 * changed anything); null when it did not, when the weights live in external files, or when the file cannot be
 * read as a model (onnxruntime then loads the file as it is, and reports a broken one itself).
 */
export async function readRewrittenModel(path: string, rewrite: (model: OnnxModel) => boolean): Promise<Uint8Array | null> {
  try {
    const model = decodeOnnxModel(await readFile(path));
    if (hasExternalData(model)) return null;
    return rewrite(model) ? encodeOnnxModel(model) : null;
  } catch {
    return null;
  }
}

/** `graph` and every graph nested in its nodes' attributes (an If's branches, a Loop's body), depth first. */
export function allGraphs(graph: OnnxGraph): OnnxGraph[] {
  const nested = graph.node.flatMap((node) => node.attribute.flatMap((attribute) => (attribute.g ? allGraphs(attribute.g) : [])));
  return [graph, ...nested];
}

/** Which node computes each value, and which nodes read it, over `nodes`. */
export function valueLinks(nodes: readonly OnnxNode[]): { producer: Map<string, OnnxNode>; readers: Map<string, OnnxNode[]> } {
  const producer = new Map<string, OnnxNode>();
  const readers = new Map<string, OnnxNode[]>();
  for (const node of nodes) {
    for (const output of node.output) producer.set(output, node);
    for (const input of node.input) {
      const list = readers.get(input);
      if (list) list.push(node);
      else readers.set(input, [node]);
    }
  }
  return { producer, readers };
}

/** Whether `node` is a Transpose with exactly this permutation. */
export function isTranspose(node: OnnxNode | undefined, perm: readonly number[]): node is OnnxNode {
  const actual = node?.attribute.find((attribute) => attribute.name === 'perm')?.ints ?? [];
  return node?.op_type === 'Transpose' && actual.map(Number).join() === perm.join();
}
