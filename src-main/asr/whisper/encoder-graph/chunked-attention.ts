import { int64Tensor, intAttribute, onnxNode, valueLinks, type OnnxModel, type OnnxNode } from '../../../onnx/onnx-model';

/**
 * The most bytes one block's attention scores may take. whisper-base (8 heads, 1500 frames): 72 MB per layer
 * → four blocks of 375 rows, 18 MB each. Measured on bench:offline's file, greedy: a peak of 597 MB against 613
 * MB with two blocks and 645 MB with one (and eight blocks: 602 MB); an encoder run alone costs 4 % more CPU
 * time in four blocks than whole.
 */
const BLOCK_SCORE_BYTES = 20 * 1024 * 1024;
/** A MatMul's output rows follow its first operand's second-to-last axis, whatever the rank ([batch, heads, …] or [batch × heads, …]). */
const SEQUENCE_AXIS = -2;

interface AttentionCore {
  scores: OnnxNode;
  softmax: OnnxNode;
  weighted: OnnxNode;
}

/** softmax(Q·Kᵀ)·V where each intermediate is read by the next node only: the part that can be split by query rows. */
function attentionCores(nodes: readonly OnnxNode[]): AttentionCore[] {
  const { producer, readers } = valueLinks(nodes);
  const cores: AttentionCore[] = [];
  for (const softmax of nodes) {
    if (softmax.op_type !== 'Softmax') continue;
    const axis = Number(softmax.attribute.find((attribute) => attribute.name === 'axis')?.i ?? -1);
    if (axis !== -1 && axis !== 3) continue;
    const scores = producer.get(softmax.input[0] ?? '');
    const scoreReaders = readers.get(scores?.output[0] ?? '') ?? [];
    const [weighted, ...others] = readers.get(softmax.output[0] ?? '') ?? [];
    if (scores?.op_type !== 'MatMul' || scoreReaders.length !== 1 || others.length > 0) continue;
    if (weighted?.op_type !== 'MatMul' || weighted.input[0] !== softmax.output[0]) continue;
    cores.push({ scores, softmax, weighted });
  }
  return cores;
}

/**
 * Splits each encoder self-attention's softmax(Q·Kᵀ)·V into blocks of query rows, concatenated afterwards. Each
 * row's scores, softmax and weighted sum are computed exactly as before (outputs are bit for bit the same), but
 * onnxruntime holds one block's [heads, rows, frames] scores and probabilities at a time: for whisper-base's full
 * 1500 frames 2 × 18 MB instead of 2 × 72 MB, the encoder's largest buffers and the process's memory peak.
 * Only where the softmax is on the last axis (rank 4: [batch, heads, frames, frames]; any rank with axis −1).
 * Mutates `model`; false (and `model` untouched) when it has no such attention or `frames` fits in one block.
 */
export function chunkEncoderAttention(model: OnnxModel, heads: number, frames: number, blockScoreBytes = BLOCK_SCORE_BYTES): boolean {
  const graph = model.graph;
  const cores = attentionCores(graph.node);
  const blocks = Math.ceil((heads * frames * frames * Float32Array.BYTES_PER_ELEMENT) / blockScoreBytes);
  if (cores.length === 0 || blocks < 2) return false;
  const rows = Math.ceil(frames / blocks);
  const axes = 'attention_blocks/axes';
  graph.initializer.push(int64Tensor(axes, [SEQUENCE_AXIS]));
  for (let block = 0; block < blocks; block += 1) {
    // Slice clamps the last block's end to the frames there are.
    graph.initializer.push(int64Tensor(`attention_blocks/start_${block}`, [block * rows]));
    graph.initializer.push(int64Tensor(`attention_blocks/end_${block}`, [(block + 1) * rows]));
  }
  for (const core of cores) {
    const [queries, keys] = core.scores.input as [string, string];
    const values = core.weighted.input[1] as string;
    const output = core.weighted.output[0] as string;
    const prefix = `${output}/block`;
    const replacement: OnnxNode[] = [];
    for (let block = 0; block < blocks; block += 1) {
      const name = `${prefix}${block}`;
      replacement.push(
        onnxNode('Slice', [queries, `attention_blocks/start_${block}`, `attention_blocks/end_${block}`, axes], [`${name}/queries`]),
        onnxNode('MatMul', [`${name}/queries`, keys], [`${name}/scores`]),
        onnxNode('Softmax', [`${name}/scores`], [`${name}/probabilities`], [intAttribute('axis', -1)]),
        onnxNode('MatMul', [`${name}/probabilities`, values], [`${name}/weighted`]),
      );
    }
    replacement.push(
      onnxNode(
        'Concat',
        Array.from({ length: blocks }, (_, block) => `${prefix}${block}/weighted`),
        [output],
        [intAttribute('axis', SEQUENCE_AXIS)],
      ),
    );
    // The block nodes take the place of the last one, where every input they read is already computed.
    graph.node.splice(graph.node.indexOf(core.weighted), 1, ...replacement);
    graph.node.splice(graph.node.indexOf(core.softmax), 1);
    graph.node.splice(graph.node.indexOf(core.scores), 1);
  }
  return true;
}
