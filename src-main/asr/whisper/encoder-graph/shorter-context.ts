import { int64Tensor, onnxNode, type OnnxModel, type OnnxTensor } from '../../../onnx/onnx-model';

/** The encoder's input: log-mel [batch, mels, frames]. */
const FEATURES_INPUT = 'input_features';

function dimsOf(tensor: OnnxTensor): number[] {
  return tensor.dims.map(Number);
}

/**
 * Rewrites Whisper's encoder to take fewer than its 3000 log-mel frames (whisper.cpp's `audio_ctx`): the
 * positional table [source positions, d_model] added after the convolutions is sliced to the frames the
 * convolutions produced, and the input's frame count becomes free. Everything else in the encoder already
 * follows the sequence length. Only for a graph that adds the table once, as an initializer; mutates `model`;
 * false (and `model` untouched) otherwise.
 */
export function acceptShorterContext(model: OnnxModel, sourcePositions: number): boolean {
  const graph = model.graph;
  const featureDims = graph.input.find((input) => input.name === FEATURES_INPUT)?.type?.tensor_type?.shape?.dim;
  if (featureDims?.length !== 3) return false;
  const tables = new Set(
    graph.initializer
      .filter((tensor) => {
        const dims = dimsOf(tensor);
        return dims.length === 2 && dims[0] === sourcePositions;
      })
      .map((tensor) => tensor.name),
  );
  const additions = graph.node.filter((node) => node.op_type === 'Add' && node.input.some((name) => tables.has(name)));
  const [addition] = additions;
  if (additions.length !== 1 || !addition) return false;
  const tableAt = addition.input.findIndex((name) => tables.has(name));
  const table = addition.input[tableAt] as string;
  const hidden = addition.input[1 - tableAt];
  if (!hidden) return false;

  const prefix = `${table}/fitted`;
  graph.initializer.push(int64Tensor(`${prefix}/zero`, [0]), int64Tensor(`${prefix}/one`, [1]), int64Tensor(`${prefix}/two`, [2]));
  const nodes = [
    onnxNode('Shape', [hidden], [`${prefix}/shape`]),
    // hidden is [batch, positions, d_model]: its positions, as the end of a slice of the table's rows.
    onnxNode('Slice', [`${prefix}/shape`, `${prefix}/one`, `${prefix}/two`], [`${prefix}/positions`]),
    onnxNode('Slice', [table, `${prefix}/zero`, `${prefix}/positions`, `${prefix}/zero`], [prefix]),
  ];
  graph.node.splice(graph.node.indexOf(addition), 0, ...nodes);
  addition.input[tableAt] = prefix;
  featureDims[2] = { dim_param: 'frames' };
  return true;
}
