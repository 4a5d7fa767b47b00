import { isTranspose, type OnnxNode, type valueLinks } from '../../../onnx/onnx-model';

/** One layer's cross-attention scores as the merged decoder spells them: (queries × scale) · keysᵀ. */
export interface CrossScores {
  /** Transpose [0, 1, 3, 2] of `past_key_values.N.encoder.key`, its only reader. */
  keysTranspose: OnnxNode;
  /** MatMul of the scaled queries and the transposed keys, the transpose's only reader. */
  scores: OnnxNode;
  /** Mul of the queries and one scalar weight, read only by `scores`. */
  queryScale: OnnxNode;
}

/** Layer `layer`'s cross-attention scores among the nodes `links` indexes, or null when they are spelled otherwise. */
export function findCrossScores(
  links: ReturnType<typeof valueLinks>,
  layer: number,
  scalarWeights: ReadonlySet<string>,
): CrossScores | null {
  const readersOf = (name: string): OnnxNode[] => links.readers.get(name) ?? [];
  const [keysTranspose, ...otherKeyReaders] = readersOf(`past_key_values.${layer}.encoder.key`);
  if (!isTranspose(keysTranspose, [0, 1, 3, 2]) || otherKeyReaders.length > 0) return null;
  const [scores, ...otherScoreReaders] = readersOf(keysTranspose.output[0] ?? '');
  if (scores?.op_type !== 'MatMul' || scores.input[1] !== keysTranspose.output[0] || otherScoreReaders.length > 0) return null;
  const queryScale = links.producer.get(scores.input[0] ?? '');
  if (queryScale?.op_type !== 'Mul' || readersOf(queryScale.output[0] ?? '').length !== 1) return null;
  if (!scalarWeights.has(queryScale.input[1] ?? '')) return null;
  return { keysTranspose, scores, queryScale };
}
