import { intAttribute, valueLinks, type OnnxModel, type OnnxNode, type OnnxTensor, ONNX_FLOAT } from '../../../onnx/onnx-model';

const MICROSOFT_DOMAIN = 'com.microsoft';
const ONNX_UINT8 = 2;
const ONNX_INT8 = 3;
/** Activations are quantised per run of this many values along the inner dimension. */
export const ACTIVATION_BLOCK = 32;
/** MatMulNBits' accuracy level 4: activations quantised to int8 per block, products summed in integers. */
const INT8_COMPUTE = 4;

interface OpsetImport {
  domain?: string;
  version?: number;
}

interface FeedForwardProduct {
  quantize: OnnxNode;
  product: OnnxNode;
  cast: OnnxNode;
  rescale: OnnxNode;
  scales: OnnxNode;
  weight: OnnxTensor;
  zeroPoint: number;
  weightScale: number;
}

/**
 * Each feed-forward block's second projection (the one that reads the GELU's output) rewritten from onnxruntime's
 * dynamic quantisation (the whole [frames, 2048] input on one 8-bit scale) to `MatMulNBits` over the very same
 * 8-bit weights, whose int8 path quantises the input per block of 32 values. GELU's output is heavy-tailed: a
 * few large values set the one scale, and the rest of a 30 s window's activations then round to a handful of
 * steps. CTranslate2, which faster-whisper runs, quantises per row. Mutates `model`; whether any was rewritten
 * (a projection is left as it is unless its pattern, weight and scales are exactly the exported ones).
 */
export function quantizeFeedForwardInputsPerBlock(model: OnnxModel): boolean {
  const graph = model.graph;
  const { producer, readers } = valueLinks(graph.node);
  const initializers = new Map(graph.initializer.map((tensor) => [tensor.name, tensor]));
  const found = graph.node
    .filter((node) => node.op_type === 'MatMulInteger')
    .map((product) => feedForwardProduct(product, producer, readers, initializers))
    .filter((match): match is FeedForwardProduct => match !== null);
  if (found.length === 0) return false;
  const doomed = new Set<OnnxNode>();
  for (const match of found) {
    const [inner, outer] = match.weight.dims.map(Number) as [number, number];
    const blocks = (outer * inner) / ACTIVATION_BLOCK;
    const name = match.product.output[0] as string;
    graph.initializer.push(
      {
        name: `${name}/blocks`,
        data_type: ONNX_UINT8,
        dims: [outer, inner / ACTIVATION_BLOCK, ACTIVATION_BLOCK],
        raw_data: columnsAsRows(match.weight),
      },
      {
        name: `${name}/scales`,
        data_type: ONNX_FLOAT,
        dims: [blocks],
        raw_data: new Uint8Array(new Float32Array(blocks).fill(match.weightScale).buffer),
      },
      { name: `${name}/zero_points`, data_type: ONNX_UINT8, dims: [blocks], raw_data: new Uint8Array(blocks).fill(match.zeroPoint) },
    );
    const replacement: OnnxNode = {
      name: `${name}/blocks`,
      op_type: 'MatMulNBits',
      domain: MICROSOFT_DOMAIN,
      input: [match.quantize.input[0] as string, `${name}/blocks`, `${name}/scales`, `${name}/zero_points`],
      output: [match.rescale.output[0] as string],
      attribute: [
        intAttribute('K', inner),
        intAttribute('N', outer),
        intAttribute('bits', 8),
        intAttribute('block_size', ACTIVATION_BLOCK),
        intAttribute('accuracy_level', INT8_COMPUTE),
      ],
    };
    // In the place of the last node it replaces, where its input is already computed.
    graph.node.splice(graph.node.indexOf(match.rescale), 1, replacement);
    for (const node of [match.product, match.cast, match.scales]) doomed.add(node);
  }
  graph.node = graph.node.filter((node) => !doomed.has(node));
  // A quantiser whose outputs nothing reads any more goes too, then every initializer nothing reads.
  const read = new Set(graph.node.flatMap((node) => node.input));
  graph.node = graph.node.filter((node) => node.op_type !== 'DynamicQuantizeLinear' || node.output.some((output) => read.has(output)));
  const stillRead = new Set([...graph.node.flatMap((node) => node.input), ...graph.output.map((output) => output.name)]);
  graph.initializer = graph.initializer.filter((tensor) => stillRead.has(tensor.name));
  const imports = ((model as OnnxModel & { opset_import?: OpsetImport[] }).opset_import ??= []);
  if (!imports.some((entry) => entry.domain === MICROSOFT_DOMAIN)) imports.push({ domain: MICROSOFT_DOMAIN, version: 1 });
  return true;
}

/**
 * MatMulInteger(q(x), W, zp(x), zp(W)) → Cast → × (scale(x) · scale(W)), where x is a Gelu's output and W a
 * [K, N] 8-bit initializer with a scalar zero point and scale; null otherwise.
 */
function feedForwardProduct(
  product: OnnxNode,
  producer: Map<string, OnnxNode>,
  readers: Map<string, OnnxNode[]>,
  initializers: Map<string, OnnxTensor>,
): FeedForwardProduct | null {
  const [activations = '', weightName = '', activationZero = '', weightZero = ''] = product.input;
  const quantize = producer.get(activations);
  if (quantize?.op_type !== 'DynamicQuantizeLinear' || quantize.output[2] !== activationZero) return null;
  if (producer.get(quantize.input[0] ?? '')?.op_type !== 'Gelu') return null;
  const weight = initializers.get(weightName);
  const zero = initializers.get(weightZero);
  if (!weight?.raw_data || !zero?.raw_data || weight.dims.length !== 2 || zero.raw_data.byteLength !== 1) return null;
  if (!isEightBit(weight) || zero.data_type !== weight.data_type) return null;
  const [inner] = weight.dims.map(Number) as [number, number];
  if (inner % ACTIVATION_BLOCK !== 0) return null;
  const cast = onlyReader(product, readers);
  const rescale = cast?.op_type === 'Cast' ? onlyReader(cast, readers) : null;
  if (!cast || rescale?.op_type !== 'Mul') return null;
  const scaleName = rescale.input[0] === cast.output[0] ? rescale.input[1] : rescale.input[0];
  const scales = producer.get(scaleName ?? '');
  if (scales?.op_type !== 'Mul' || (readers.get(scaleName ?? '') ?? []).length !== 1) return null;
  const weightScaleName =
    scales.input[0] === quantize.output[1] ? scales.input[1] : scales.input[1] === quantize.output[1] ? scales.input[0] : null;
  const weightScale = initializers.get(weightScaleName ?? '');
  if (weightScale?.data_type !== ONNX_FLOAT || weightScale.raw_data?.byteLength !== 4) return null;
  const raw = weightScale.raw_data;
  return {
    quantize,
    product,
    cast,
    rescale,
    scales,
    weight,
    zeroPoint: asUnsigned(zero, (zero.raw_data[0] as number) & 0xff),
    weightScale: new DataView(raw.buffer, raw.byteOffset, 4).getFloat32(0, true),
  };
}

function onlyReader(node: OnnxNode, readers: Map<string, OnnxNode[]>): OnnxNode | null {
  const read = readers.get(node.output[0] ?? '') ?? [];
  return read.length === 1 ? (read[0] as OnnxNode) : null;
}

const isEightBit = (tensor: OnnxTensor): boolean => tensor.data_type === ONNX_UINT8 || tensor.data_type === ONNX_INT8;

/** An 8-bit value as MatMulNBits' unsigned weights read it (signed weights hold w − 128). */
const asUnsigned = (tensor: OnnxTensor, byte: number): number => (tensor.data_type === ONNX_INT8 ? byte ^ 0x80 : byte);

/** A [K, N] 8-bit matrix as N unsigned rows of K (MatMulNBits holds each output column's weights together). */
function columnsAsRows(weight: OnnxTensor): Uint8Array {
  const [inner, outer] = weight.dims.map(Number) as [number, number];
  const source = weight.raw_data as Uint8Array;
  const flip = weight.data_type === ONNX_INT8 ? 0x80 : 0;
  const rows = new Uint8Array(inner * outer);
  for (let k = 0; k < inner; k += 1) {
    const from = k * outer;
    for (let n = 0; n < outer; n += 1) rows[n * inner + k] = (source[from + n] as number) ^ flip;
  }
  return rows;
}
