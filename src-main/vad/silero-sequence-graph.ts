import {
  decodeOnnxModel,
  encodeOnnxModel,
  int64Tensor,
  intAttribute,
  intsAttribute,
  ONNX_FLOAT,
  onnxNode,
  type OnnxGraph,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
} from '../onnx/onnx-model';

/** Silero's 16 kHz branch: the encoder's last activation, and the constants its LSTM cell and head are built from. */
const ENCODER_OUTPUT_SUFFIX = '/encoder/3/activation/Relu_output_0';
const WEIGHTS = {
  inputWeights: 'decoder.rnn.weight_ih',
  recurrentWeights: 'decoder.rnn.weight_hh',
  inputBias: 'decoder.rnn.bias_ih',
  recurrentBias: 'decoder.rnn.bias_hh',
  headWeight: 'decoder.decoder.2.weight',
  headBias: 'decoder.decoder.2.bias',
} as const;
const HIDDEN = 128;
const WINDOW = 576;

/**
 * Silero v5/v6 as published scores one 32 ms frame per call: an `If` on the sample rate, and inside it an LSTM
 * cell run once over a batch of independent streams. Rewritten, its 16 kHz branch takes a sequence of frames
 * (`input` [frames, 576], each the frame with the previous one's last 64 samples before it) and carries the
 * recurrent state through them in one ONNX `LSTM`, as the frame-by-frame calls do: the probabilities are the same
 * numbers, for one call instead of one per frame (onnxruntime's fixed cost per call is most of Silero's time).
 * Outputs: `output` [frames] and `stateN` [2, 1, 128], the state after the last frame (the input `state` likewise).
 * Null when the file is not laid out as the published v5/v6 graph is; it then runs frame by frame.
 */
export function sileroSequenceModel(bytes: Uint8Array): Uint8Array | null {
  const model = decodeOnnxModel(bytes);
  const branch = sixteenKilohertzBranch(model.graph);
  if (branch === null) return null;
  const encoderEnd = branch.node.findIndex((node) => node.output[0]?.endsWith(ENCODER_OUTPUT_SUFFIX));
  if (encoderEnd < 0) return null;
  const constants = new Map<string, OnnxTensor>();
  for (const node of branch.node) {
    const tensor = node.op_type === 'Constant' ? node.attribute.find((attribute) => attribute.name === 'value')?.t : undefined;
    if (tensor && node.output[0]) constants.set(node.output[0], tensor);
  }
  const weight = (suffix: string, dims: number[]): Float32Array | null => {
    const entry = [...constants].find(([name]) => name.endsWith(`__${suffix}`))?.[1];
    return entry && entry.data_type === ONNX_FLOAT && entry.dims.map(Number).join() === dims.join() ? floats(entry) : null;
  };
  const gates = 4 * HIDDEN;
  const inputWeights = weight(WEIGHTS.inputWeights, [gates, HIDDEN]);
  const recurrentWeights = weight(WEIGHTS.recurrentWeights, [gates, HIDDEN]);
  const inputBias = weight(WEIGHTS.inputBias, [gates]);
  const recurrentBias = weight(WEIGHTS.recurrentBias, [gates]);
  const headWeight = weight(WEIGHTS.headWeight, [1, HIDDEN, 1]);
  const headBias = weight(WEIGHTS.headBias, [1]);
  if (!inputWeights || !recurrentWeights || !inputBias || !recurrentBias || !headWeight || !headBias) return null;

  const encoded = (branch.node[encoderEnd] as OnnxNode).output[0] as string;
  model.graph.node = [
    ...branch.node.slice(0, encoderEnd + 1),
    onnxNode('Gather', ['state', 'seq/zero'], ['seq/h0'], [intAttribute('axis', 0)]),
    onnxNode('Gather', ['state', 'seq/one'], ['seq/c0'], [intAttribute('axis', 0)]),
    // [frames, 128, 1] → [frames, 1, 128]: the frames are the LSTM's time axis, one stream its batch.
    onnxNode('Reshape', [encoded, 'seq/as-sequence'], ['seq/x']),
    onnxNode(
      'LSTM',
      ['seq/x', 'seq/W', 'seq/R', 'seq/B', '', 'seq/h0', 'seq/c0'],
      ['seq/y', 'seq/yh', 'seq/yc'],
      [intAttribute('hidden_size', HIDDEN)],
    ),
    onnxNode('Reshape', ['seq/y', 'seq/as-channels'], ['seq/hidden']),
    onnxNode('Relu', ['seq/hidden'], ['seq/relu']),
    onnxNode('Conv', ['seq/relu', 'seq/head-weight', 'seq/head-bias'], ['seq/logit'], [intsAttribute('kernel_shape', [1])]),
    onnxNode('Sigmoid', ['seq/logit'], ['seq/probability']),
    onnxNode('Reshape', ['seq/probability', 'seq/flat'], ['output']),
    onnxNode('Concat', ['seq/yh', 'seq/yc'], ['stateN'], [intAttribute('axis', 0)]),
  ];
  model.graph.initializer = [
    int64Tensor('seq/zero', [0]),
    int64Tensor('seq/one', [1]),
    int64Tensor('seq/as-sequence', [-1, 1, HIDDEN]),
    int64Tensor('seq/as-channels', [-1, HIDDEN, 1]),
    int64Tensor('seq/flat', [-1]),
    floatTensor('seq/W', onnxGateOrder(inputWeights, HIDDEN), [1, gates, HIDDEN]),
    floatTensor('seq/R', onnxGateOrder(recurrentWeights, HIDDEN), [1, gates, HIDDEN]),
    floatTensor('seq/B', concat(onnxGateOrder(inputBias, 1), onnxGateOrder(recurrentBias, 1)), [1, 2 * gates]),
    floatTensor('seq/head-weight', headWeight, [1, HIDDEN, 1]),
    floatTensor('seq/head-bias', headBias, [1]),
  ];
  model.graph.input = [floatInput('input', ['frames', WINDOW]), floatInput('state', [2, 1, HIDDEN])];
  model.graph.output = [floatInput('output', ['frames']), floatInput('stateN', [2, 1, HIDDEN])];
  return encodeOnnxModel(model);
}

/** The `then` branch of the top-level `If` whose condition is `sr == 16000`. */
function sixteenKilohertzBranch(graph: OnnxGraph): OnnxGraph | null {
  const produced = new Map(graph.node.flatMap((node) => node.output.map((output) => [output, node] as const)));
  for (const node of graph.node) {
    if (node.op_type !== 'If') continue;
    const condition = produced.get(node.input[0] ?? '');
    if (condition?.op_type !== 'Equal' || !condition.input.includes('sr')) continue;
    const other = produced.get(condition.input.find((input) => input !== 'sr') ?? '');
    const rate = other?.attribute.find((attribute) => attribute.name === 'value')?.t;
    if (rate === undefined || int64Scalar(rate) !== 16_000) continue;
    return node.attribute.find((attribute) => attribute.name === 'then_branch')?.g ?? null;
  }
  return null;
}

/** PyTorch stacks an LSTM's gates as input, forget, cell, output; ONNX as input, output, forget, cell. */
function onnxGateOrder(values: Float32Array, width: number): Float32Array {
  const block = HIDDEN * width;
  const [input, forget, cell, output] = [0, 1, 2, 3].map((gate) => values.subarray(gate * block, (gate + 1) * block));
  return concat(input as Float32Array, output as Float32Array, forget as Float32Array, cell as Float32Array);
}

function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A copy (the raw bytes are a view into the file, not necessarily aligned; a Buffer's slice would not copy). */
function floats(tensor: OnnxTensor): Float32Array | null {
  const raw = tensor.raw_data;
  if (!raw || raw.byteLength % 4 !== 0) return null;
  return new Float32Array(new Uint8Array(raw).buffer);
}

function int64Scalar(tensor: OnnxTensor): number | null {
  if (tensor.dims.length > 0) return null;
  const raw = tensor.raw_data;
  if (raw?.byteLength === 8) return Number(new DataView(raw.buffer, raw.byteOffset, 8).getBigInt64(0, true));
  return tensor.int64_data?.length === 1 ? Number(tensor.int64_data[0]) : null;
}

function floatTensor(name: string, values: Float32Array, dims: number[]): OnnxTensor {
  return { name, data_type: ONNX_FLOAT, dims, raw_data: new Uint8Array(values.buffer, values.byteOffset, values.byteLength) };
}

function floatInput(name: string, dims: (number | string)[]): OnnxValueInfo {
  const dim = dims.map((value) => (typeof value === 'number' ? { dim_value: value } : { dim_param: value }));
  return { name, type: { tensor_type: { elem_type: ONNX_FLOAT, shape: { dim } } } };
}
