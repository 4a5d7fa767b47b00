import { intsAttribute, onnxNode, valueLinks, type OnnxModel, type OnnxTensor, type OnnxValueInfo } from '../../../onnx/onnx-model';
import { findCrossScores } from './cross-scores';

const PREFIX = 'transposed_cross_keys/';

/** A scalar float weight's value, or null. */
function scalarValue(tensor: OnnxTensor | undefined): number | null {
  if (!tensor || tensor.data_type !== 1 || tensor.dims.length !== 0) return null;
  if (tensor.float_data?.length === 1) return tensor.float_data[0] ?? null;
  const raw = tensor.raw_data;
  if (raw?.byteLength !== 4) return null;
  return new DataView(raw.buffer, raw.byteOffset, 4).getFloat32(0, true);
}

/** Whether multiplying by `value` is exact for every float in range (a power of two). */
function isPowerOfTwo(value: number): boolean {
  return value > 0 && Number.isInteger(Math.log2(value));
}

/** The declared shape with its last two dimensions swapped (keys [batch, heads, frames, headDim] → […, headDim, frames]). */
function swapLastTwo(info: OnnxValueInfo): void {
  const dims = info.type?.tensor_type?.shape?.dim;
  if (dims?.length !== 4) return;
  dims.push(...dims.splice(2, 2).reverse());
}

/**
 * Hands each layer's cross-attention keys to the decoder already transposed ([1, heads, headDim, frames]) and
 * multiplied by the queries' scale: the projector does both once per window, and the decoder's scores become a
 * plain product of the queries and these keys. onnxruntime had fused the scale and the transpose into one
 * `FusedMatMul` (transposed B, alpha = scale), which copies the whole 3 MB of a layer's keys into its packed
 * layout on every step; a plain product of one query row takes MLAS's one-row kernel, which reads the keys
 * where they are. The scale must be a power of two (Whisper's 1/√64), so scaling the keys instead of the
 * queries gives the same products bit for bit; the one-row kernel then sums them in its own rounding, so one-row
 * runs (greedy steps, language checks) differ from before in the last bits, and runs of several rows stay
 * bit for bit what they were. Mutates both models; false (and both untouched) when either graph does not have
 * the expected shape.
 */
export function transposeCrossKeys(decoder: OnnxModel, projector: OnnxModel, layers: number): boolean {
  const graph = decoder.graph;
  const links = valueLinks(graph.node);
  const projectorLinks = valueLinks(projector.graph.node);
  const scalars = new Map(graph.initializer.filter((tensor) => tensor.dims.length === 0).map((tensor) => [tensor.name, tensor]));
  const scalarNames = new Set(scalars.keys());
  const plans = [];
  for (let layer = 0; layer < layers; layer += 1) {
    const keys = `past_key_values.${layer}.encoder.key`;
    const present = `present.${layer}.encoder.key`;
    const found = findCrossScores(links, layer, scalarNames);
    if (!found) return false;
    const { keysTranspose: transpose, scores, queryScale: scale } = found;
    const scaleWeight = scalars.get(scale.input[1] ?? '');
    const value = scalarValue(scaleWeight);
    if (!scaleWeight || value === null || !isPowerOfTwo(value)) return false;
    const keysInput = graph.input.find((input) => input.name === keys);
    const keysOutput = projector.graph.output.find((output) => output.name === present);
    const projection = projectorLinks.producer.get(present);
    // Nothing inside the projector may read the keys: it would read them transposed.
    if (!keysInput || !keysOutput || !projection || projectorLinks.readers.has(present)) return false;
    plans.push({ layer, keys, present, transpose, scores, scale, scaleWeight, keysInput, keysOutput, projection });
  }

  for (const { layer, keys, present, transpose, scores, scale, scaleWeight, keysInput, keysOutput, projection } of plans) {
    scores.input = [scale.input[0] as string, keys];
    graph.node = graph.node.filter((node) => node !== transpose && node !== scale);
    swapLastTwo(keysInput);

    const name = (what: string): string => `${PREFIX}${layer}/${what}`;
    const scaleName = name('scale');
    projection.output = projection.output.map((output) => (output === present ? name('keys') : output));
    projector.graph.initializer.push({ ...scaleWeight, name: scaleName });
    projector.graph.node.push(
      onnxNode('Mul', [name('keys'), scaleName], [name('scaled')]),
      onnxNode('Transpose', [name('scaled')], [present], [intsAttribute('perm', [0, 1, 3, 2])]),
    );
    swapLastTwo(keysOutput);
  }
  const orphaned = new Set(plans.map(({ scaleWeight }) => scaleWeight.name));
  for (const node of graph.node) for (const input of node.input) orphaned.delete(input);
  graph.initializer = graph.initializer.filter((tensor) => !orphaned.has(tensor.name));
  return true;
}
