import { allGraphs, valueLinks, type OnnxModel, type OnnxNode, type OnnxTensor, ONNX_FLOAT } from '../../../onnx/onnx-model';

/** onnxruntime's own operators (Gelu among them), which its CPU provider always has. */
const MICROSOFT_DOMAIN = 'com.microsoft';
/** `static_cast<float>(M_SQRT1_2)`, the factor onnxruntime's Gelu kernel multiplies by before its erf. */
const FLOAT_SQRT1_2 = Math.fround(Math.SQRT1_2);

interface OpsetImport {
  domain?: string;
  version?: number;
}

/** The float scalars held by initializers or Constant nodes, by name. */
function floatScalars(model: OnnxModel): Map<string, number> {
  const scalars = new Map<string, number>();
  const read = (name: string, tensor: OnnxTensor | undefined): void => {
    const raw = tensor?.raw_data;
    if (tensor?.data_type !== ONNX_FLOAT || raw?.byteLength !== 4) return;
    scalars.set(name, new DataView(raw.buffer, raw.byteOffset, 4).getFloat32(0, true));
  };
  for (const tensor of model.graph.initializer) read(tensor.name, tensor);
  for (const node of model.graph.node) {
    if (node.op_type === 'Constant' && node.output[0]) read(node.output[0], node.attribute.find((a) => a.name === 'value')?.t);
  }
  return scalars;
}

/**
 * Replaces each exported GELU, x · (1 + erf(x · 0.70710677)) · 0.5 in five operators, with onnxruntime's `Gelu`,
 * which computes the very same float operations in one pass over the tensor (its kernel multiplies by the float
 * 1/√2, takes MLAS's erf, then 0.5 · x · (erf + 1); halving is exact in either order), so the outputs are equal
 * bit for bit. whisper-base's encoder holds eight such chains (one per layer over [1500, 2048], one after each
 * convolution) that onnxruntime's optimiser leaves as five operators (its profile shows them): five passes over
 * up to 12 MB each become one; a 30 s window 455 → 420 CPU ms. Mutates `model`; whether any chain was replaced.
 */
export function fuseGelu(model: OnnxModel): boolean {
  const graph = model.graph;
  const scalars = floatScalars(model);
  // Nested graphs (an If's branches) may read the main graph's values by name: their readers count too.
  const { producer, readers } = valueLinks(allGraphs(graph).flatMap((each) => each.node));
  const onlyReader = (node: OnnxNode): OnnxNode | null => {
    const read = readers.get(node.output[0] ?? '') ?? [];
    return read.length === 1 ? (read[0] as OnnxNode) : null;
  };
  /** The other input of a binary node that reads `input`, or null. */
  const otherInput = (node: OnnxNode, input: string): string | null => {
    if (node.input.length !== 2) return null;
    if (node.input[0] === input) return node.input[1] as string;
    return node.input[1] === input ? (node.input[0] as string) : null;
  };
  const isStandard = (node: OnnxNode, op: string): boolean => node.op_type === op && (node.domain ?? '') === '';
  const fused: { chain: OnnxNode[]; gelu: OnnxNode }[] = [];
  for (const erf of graph.node) {
    if (!isStandard(erf, 'Erf')) continue;
    const scale = producer.get(erf.input[0] ?? '');
    if (!scale || !isStandard(scale, 'Mul') || onlyReader(scale) !== erf) continue;
    const [first = '', second = ''] = scale.input;
    const x = scalars.get(second) === FLOAT_SQRT1_2 ? first : scalars.get(first) === FLOAT_SQRT1_2 ? second : null;
    const add = onlyReader(erf);
    if (x === null || !add || !isStandard(add, 'Add') || scalars.get(otherInput(add, erf.output[0] ?? '') ?? '') !== 1) continue;
    const times = onlyReader(add);
    if (!times || !isStandard(times, 'Mul') || otherInput(times, add.output[0] ?? '') !== x) continue;
    const half = onlyReader(times);
    if (!half || !isStandard(half, 'Mul') || scalars.get(otherInput(half, times.output[0] ?? '') ?? '') !== 0.5) continue;
    const output = half.output[0] as string;
    fused.push({
      chain: [scale, erf, add, times, half],
      gelu: { name: `${output}/gelu`, op_type: 'Gelu', domain: MICROSOFT_DOMAIN, input: [x], output: [output], attribute: [] },
    });
  }
  if (fused.length === 0) return false;
  for (const { chain, gelu } of fused) {
    // The fused node takes the place of the chain's last node, where its input is already computed.
    graph.node.splice(graph.node.indexOf(chain[4] as OnnxNode), 1, gelu);
    for (const node of chain.slice(0, 4)) graph.node.splice(graph.node.indexOf(node), 1);
  }
  dropUnread(model, new Set(fused.flatMap(({ chain }) => chain.flatMap((node) => node.input)).filter((name) => scalars.has(name))));
  const imports = ((model as OnnxModel & { opset_import?: OpsetImport[] }).opset_import ??= []);
  if (!imports.some((entry) => entry.domain === MICROSOFT_DOMAIN)) imports.push({ domain: MICROSOFT_DOMAIN, version: 1 });
  return true;
}

/** The constants among `names` that nothing reads any more (the chains' factors), gone from the graph. */
function dropUnread(model: OnnxModel, names: ReadonlySet<string>): void {
  const graph = model.graph;
  const nodes = allGraphs(graph).flatMap((each) => each.node);
  const read = new Set([...nodes.flatMap((node) => node.input), ...graph.output.map((output) => output.name)]);
  const unread = (name: string | undefined): boolean => name !== undefined && names.has(name) && !read.has(name);
  graph.initializer = graph.initializer.filter((tensor) => !unread(tensor.name));
  graph.node = graph.node.filter((node) => !(node.op_type === 'Constant' && unread(node.output[0])));
}
