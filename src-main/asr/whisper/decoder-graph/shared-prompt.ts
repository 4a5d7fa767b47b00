import {
  int64Tensor,
  intAttribute,
  intsAttribute,
  onnxNode,
  ONNX_FLOAT,
  type OnnxGraph,
  type OnnxModel,
  type OnnxNode,
} from '../../../onnx/onnx-model';
import { cachedBranch } from './cached-branch';

/** Inputs the rewritten decoder takes besides the merged decoder's own: per layer, the prompt's self-attention. */
export const sharedPromptInput = (layer: number, kind: 'key' | 'value'): string => `shared_prompt.${layer}.${kind}`;

/** The self-attention of one layer in the cached branch, as the merged decoder spells it. */
interface SelfAttention {
  layer: number;
  /** Q · Kᵀ: its first input is the scaled query. */
  scores: OnnxNode;
  /** Kᵀ of the concatenated keys (its perm is reused for the prompt's keys). */
  keysTransposed: OnnxNode;
  softmax: OnnxNode;
  /** softmax · V */
  context: OnnxNode;
}

const PREFIX = 'shared_prompt/';

function findSelfAttention(branch: OnnxGraph, layer: number): SelfAttention | null {
  const consumers = (name: string): OnnxNode[] => branch.node.filter((node) => node.input.includes(name));
  const concatOf = (kind: 'key' | 'value'): OnnxNode | undefined =>
    branch.node.find((node) => node.op_type === 'Concat' && node.input[0] === `past_key_values.${layer}.decoder.${kind}`);
  const keys = concatOf('key');
  const values = concatOf('value');
  if (!keys?.output[0] || !values?.output[0]) return null;
  const keysTransposed = consumers(keys.output[0]).find((node) => node.op_type === 'Transpose');
  const scores = keysTransposed && consumers(keysTransposed.output[0] ?? '').find((node) => node.op_type === 'MatMul');
  if (!keysTransposed || !scores?.output[0] || scores.input[1] !== keysTransposed.output[0]) return null;
  // The causal mask may be added between the scores and the softmax.
  let beforeSoftmax = scores.output[0];
  const masked = consumers(beforeSoftmax);
  if (masked.length === 1 && masked[0]?.op_type === 'Add') beforeSoftmax = masked[0].output[0] ?? '';
  const softmax = consumers(beforeSoftmax).find((node) => node.op_type === 'Softmax');
  const axis = softmax?.attribute.find((attribute) => attribute.name === 'axis')?.i;
  if (!softmax?.output[0] || (axis !== undefined && Number(axis) !== -1 && Number(axis) !== 3)) return null;
  const context = consumers(softmax.output[0]).find((node) => node.op_type === 'MatMul' && node.input[1] === values.output[0]);
  if (!context) return null;
  return { layer, scores, keysTransposed, softmax, context };
}

/** The Gather that looks up learned positions by the Range of positions after the cached tokens. */
function findPositionLookup(model: OnnxModel, branch: OnnxGraph, maxPositions: number): OnnxNode | null {
  const positionTable = new Set(
    model.graph.initializer.filter((tensor) => tensor.dims.length === 2 && Number(tensor.dims[0]) === maxPositions).map((t) => t.name),
  );
  const lookups = branch.node.filter(
    (node) => node.op_type === 'Gather' && positionTable.has(node.input[0] ?? '') && node.input[1] !== 'input_ids',
  );
  return lookups.length === 1 ? (lookups[0] as OnnxNode) : null;
}

function insertBefore(branch: OnnxGraph, anchor: OnnxNode, nodes: OnnxNode[]): void {
  branch.node.splice(branch.node.indexOf(anchor), 0, ...nodes);
}

/**
 * Rewrites a merged Whisper decoder (optimum layout) so that the rows of a batch share one copy of the prompt's
 * self-attention: the cached branch takes `shared_prompt.{layer}.{key,value}` [1, heads, promptLength, headDim]
 * beside `past_key_values.*.decoder.*`, which then hold only the tokens decoded after the prompt. Attention runs
 * over both (softmax over the joined scores, the context summed from both parts), positions count both, and the
 * present outputs carry only the rows' own tokens. Beams therefore stop copying, concatenating and returning the
 * prompt (up to 224 tokens) at every step. Mutates `model`; false (and `model` untouched) when the graph does not
 * have the expected shape.
 */
export function shareDecoderPrompt(model: OnnxModel, layers: number, maxPositions: number): boolean {
  const branch = cachedBranch(model)?.branch;
  if (!branch) return false;
  const attentions: SelfAttention[] = [];
  for (let layer = 0; layer < layers; layer += 1) {
    const attention = findSelfAttention(branch, layer);
    if (!attention) return false;
    attentions.push(attention);
  }
  const positions = findPositionLookup(model, branch, maxPositions);
  if (!positions) return false;
  const positionRange = positions.input[1] as string;
  const producerGraph = [model.graph, branch].find((graph) => graph.node.some((node) => node.output.includes(positionRange)));
  const producer = producerGraph?.node.find((node) => node.output.includes(positionRange));
  if (!producerGraph || !producer) return false;

  const promptLength = `${PREFIX}length`;
  model.graph.initializer.push(int64Tensor(`${PREFIX}zero`, [0]), int64Tensor(`${PREFIX}end`, [Number.MAX_SAFE_INTEGER]));
  model.graph.initializer.push(int64Tensor(`${PREFIX}last_axis`, [-1]));
  for (let layer = 0; layer < layers; layer += 1) {
    for (const kind of ['key', 'value'] as const) {
      const dim = ['shared_batch', `${PREFIX}heads`, 'shared_prompt_length', `${PREFIX}head_dim`].map((dim_param) => ({ dim_param }));
      model.graph.input.push({ name: sharedPromptInput(layer, kind), type: { tensor_type: { elem_type: ONNX_FLOAT, shape: { dim } } } });
    }
  }
  // Positions count the prompt too: every reader of the position range (the lookup, and whatever else the graph
  // derives from it) gets it offset by the prompt's length. The causal mask compares it with an unshifted column
  // range, which is exact for one new token per row (the only runs that take a shared prompt).
  const unshifted = `${PREFIX}row_positions`;
  producer.output[producer.output.indexOf(positionRange)] = unshifted;
  producerGraph.node.splice(producerGraph.node.indexOf(producer) + 1, 0, onnxNode('Add', [unshifted, promptLength], [positionRange]));
  model.graph.node.unshift(
    onnxNode('Shape', [sharedPromptInput(0, 'key')], [promptLength], [intAttribute('start', 2), intAttribute('end', 3)]),
  );

  for (const { layer, scores, keysTransposed, softmax, context } of attentions) {
    const name = (what: string): string => `${PREFIX}${layer}/${what}`;
    const perm = keysTransposed.attribute.filter((attribute) => attribute.name === 'perm');
    const ownScores = softmax.input[0] as string;
    insertBefore(branch, softmax, [
      onnxNode(
        'Transpose',
        [sharedPromptInput(layer, 'key')],
        [name('keys_t')],
        perm.length > 0 ? perm : [intsAttribute('perm', [0, 1, 3, 2])],
      ),
      onnxNode('MatMul', [scores.input[0] as string, name('keys_t')], [name('scores')]),
      onnxNode('Concat', [name('scores'), ownScores], [name('all_scores')], [intAttribute('axis', -1)]),
    ]);
    softmax.input[0] = name('all_scores');
    const probabilities = softmax.output[0] as string;
    const contextOutput = context.output[0] as string;
    insertBefore(branch, context, [
      onnxNode('Slice', [probabilities, `${PREFIX}zero`, promptLength, `${PREFIX}last_axis`], [name('prompt_probabilities')]),
      onnxNode('Slice', [probabilities, promptLength, `${PREFIX}end`, `${PREFIX}last_axis`], [name('own_probabilities')]),
      onnxNode('MatMul', [name('prompt_probabilities'), sharedPromptInput(layer, 'value')], [name('prompt_context')]),
    ]);
    context.input[0] = name('own_probabilities');
    context.output[0] = name('own_context');
    branch.node.splice(
      branch.node.indexOf(context) + 1,
      0,
      onnxNode('Add', [name('prompt_context'), name('own_context')], [contextOutput]),
    );
  }
  return true;
}
