import {
  int64Tensor,
  intAttribute,
  intsAttribute,
  isTranspose,
  onnxNode,
  valueLinks,
  type OnnxModel,
  type OnnxNode,
} from '../../../onnx/onnx-model';
import { cachedBranch } from './cached-branch';
import { findCrossScores } from './cross-scores';

const PREFIX = 'stacked_cross/';

/** One layer's cross-attention in the cached branch, as the merged decoder spells it. */
interface CrossAttention {
  layer: number;
  /** [batch, tokens, heads, headDim] → [batch, heads, tokens, headDim] */
  queryTranspose: OnnxNode;
  /** The query times its scale: reads `queryTranspose`'s output. */
  queryScale: OnnxNode;
  /** [batch, heads, tokens, headDim] → [batch, tokens, heads, headDim], after softmax · V. */
  contextTranspose: OnnxNode;
}

function findCrossAttention(
  links: ReturnType<typeof valueLinks>,
  layer: number,
  scalarWeights: ReadonlySet<string>,
): CrossAttention | null {
  const consumers = (name: string): OnnxNode[] => links.readers.get(name) ?? [];
  // The scale multiplies the stacked queries instead: it must be read only by the scores, and be one weight value.
  const found = findCrossScores(links, layer, scalarWeights);
  if (!found) return null;
  const { scores, queryScale } = found;
  const values = `past_key_values.${layer}.encoder.value`;
  const valueReaders = consumers(values);
  const context = valueReaders.length === 1 ? valueReaders[0] : undefined;
  if (context?.op_type !== 'MatMul' || context.input[1] !== values) return null;
  const queryTranspose = links.producer.get(queryScale.input[0] ?? '');
  if (!queryTranspose || !isTranspose(queryTranspose, [0, 2, 1, 3]) || consumers(queryTranspose.output[0] ?? '').length !== 1) return null;
  // Only a softmax (whose output is also the cross_attentions output) between the scores and softmax · V.
  const softmax = consumers(scores.output[0] ?? '');
  if (softmax.length !== 1 || softmax[0]?.op_type !== 'Softmax' || context.input[0] !== softmax[0].output[0]) return null;
  const axis = Number(softmax[0].attribute.find((attribute) => attribute.name === 'axis')?.i ?? -1);
  if (axis !== -1 && axis !== 3) return null;
  const contextReaders = consumers(context.output[0] ?? '');
  const contextTranspose = contextReaders.length === 1 ? contextReaders[0] : undefined;
  if (!contextTranspose || !isTranspose(contextTranspose, [0, 2, 1, 3])) return null;
  return { layer, queryTranspose, queryScale, contextTranspose };
}

/**
 * Rewrites the merged decoder's cached branch so that every row of a batch reads the cross-attention keys and
 * values of its window once per step, not once per row: the rows' queries [batch, heads, tokens, headDim] are
 * stacked per head into [1, heads, batch × tokens, headDim], so the scores are one matrix product per head
 * against the keys [1, heads, frames, headDim] instead of one matrix-vector product per row. The keys and values
 * of a 30 s window are 6 MB per layer; beam search's five rows read them five times per step without this.
 * The engine passes cross-attention with batch 1 (the rows broadcast over it), which this rewrite requires.
 * `cross_attentions.*` come out as [1, heads, batch × tokens, frames], the same as before for batch 1 (the word
 * alignment's forced pass). Mutates `model`; false (and `model` untouched) when the graph does not have the
 * expected shape.
 */
export function stackCrossAttentionRows(model: OnnxModel, layers: number, heads: number, headDim: number): boolean {
  const branch = cachedBranch(model)?.branch;
  if (!branch) return false;
  const scalarWeights = new Set(
    [...model.graph.initializer, ...branch.initializer].filter((tensor) => tensor.dims.length === 0).map((tensor) => tensor.name),
  );
  const links = valueLinks(branch.node);
  const attentions: CrossAttention[] = [];
  for (let layer = 0; layer < layers; layer += 1) {
    const attention = findCrossAttention(links, layer, scalarWeights);
    if (!attention) return false;
    attentions.push(attention);
  }
  model.graph.initializer.push(
    int64Tensor(`${PREFIX}stacked_shape`, [1, heads, -1, headDim]),
    int64Tensor(`${PREFIX}heads`, [heads]),
    int64Tensor(`${PREFIX}head_dim`, [headDim]),
  );
  for (const { layer, queryTranspose, queryScale, contextTranspose } of attentions) {
    const name = (what: string): string => `${PREFIX}${layer}/${what}`;
    const rowMajor = queryTranspose.input[0] as string;
    // [batch, tokens, heads, headDim] → [heads, batch, tokens, headDim] → [1, heads, batch × tokens, headDim]
    queryTranspose.attribute = [intsAttribute('perm', [2, 0, 1, 3])];
    const stacked = name('queries');
    branch.node.splice(
      branch.node.indexOf(queryScale),
      0,
      onnxNode('Reshape', [queryTranspose.output[0] as string, `${PREFIX}stacked_shape`], [stacked]),
    );
    queryScale.input[0] = stacked;
    // Back: [1, heads, batch × tokens, headDim] → [heads, batch, tokens, headDim] → [batch, tokens, heads, headDim]
    const unstacked = name('unstacked');
    branch.node.splice(
      branch.node.indexOf(contextTranspose),
      0,
      onnxNode('Shape', [rowMajor], [name('batch_tokens')], [intAttribute('start', 0), intAttribute('end', 2)]),
      onnxNode(
        'Concat',
        [`${PREFIX}heads`, name('batch_tokens'), `${PREFIX}head_dim`],
        [name('unstacked_shape')],
        [intAttribute('axis', 0)],
      ),
      onnxNode('Reshape', [contextTranspose.input[0] as string, name('unstacked_shape')], [unstacked]),
    );
    contextTranspose.input[0] = unstacked;
    contextTranspose.attribute = [intsAttribute('perm', [1, 2, 0, 3])];
  }
  return true;
}
