import { intAttribute, onnxNode, ONNX_INT64, type OnnxGraph, type OnnxModel, type OnnxNode } from '../../../onnx/onnx-model';
import { cachedBranch } from './cached-branch';

/** The input naming which token positions of a cached run get logits (int64 [rows], in that order). */
export const LOGIT_ROWS_INPUT = 'logit_rows';

/** Ops after the vocabulary projection that work on each position alone (given fixed side inputs). */
const ROW_WISE = new Set(['Cast', 'Mul', 'Add', 'Gather']);

/**
 * Whether `name` is the same for every position of a run: a weight, a value computed only from weights, or one
 * of `scalars` (a DynamicQuantizeLinear's scale and zero point). Graph inputs and anything computed from them
 * (token ids, positions) are not.
 */
function fixedForAllRows(
  name: string,
  graphs: readonly OnnxGraph[],
  scalars: ReadonlySet<string>,
  known = new Map<string, boolean>(),
): boolean {
  if (name === '' || scalars.has(name)) return true;
  const cached = known.get(name);
  if (cached !== undefined) return cached;
  known.set(name, false);
  const producer = graphs.flatMap((graph) => graph.node).find((node) => node.output.includes(name));
  const fixed =
    graphs.some((graph) => graph.initializer.some((tensor) => tensor.name === name)) ||
    (producer !== undefined && producer.input.every((input) => fixedForAllRows(input, graphs, scalars, known)));
  known.set(name, fixed);
  return fixed;
}

/**
 * Rewrites the merged decoder's cached branch to project only the positions `logit_rows` names onto the
 * vocabulary: the activations entering the vocabulary projection (51,865 outputs per position) are gathered
 * first, so a prompt pass of 200 tokens projects 2 rows instead of 200 (≈ 5 GMAC and a 41 MB output less per
 * window). Everything before the projection runs as before (an 8-bit head's activations are still quantised
 * over all positions), so the rows asked for come out as they did. Only when what follows the projection works
 * position by position (a head that adds a position-dependent bias is left alone). Mutates `model`; false (and
 * `model` untouched) when the graph does not have that shape.
 */
export function selectLogitRows(model: OnnxModel): boolean {
  const found = cachedBranch(model);
  if (!found) return false;
  const { branching, branch } = found;
  const graphs = [branch, model.graph];
  const scalars = new Set(branch.node.filter((node) => node.op_type === 'DynamicQuantizeLinear').flatMap((node) => node.output.slice(1)));
  const fixed = (name: string): boolean => fixedForAllRows(name, graphs, scalars);
  let name = branch.output[branching.output.indexOf('logits')]?.name ?? '';
  let projection: OnnxNode | undefined;
  for (let depth = 0; depth < 8 && !projection; depth += 1) {
    const producer = branch.node.find((node) => node.output.includes(name));
    if (!producer) return false;
    const [onPath, ...side] = producer.input;
    if (!side.every(fixed)) return false;
    if (producer.op_type === 'MatMul' || producer.op_type === 'MatMulInteger') projection = producer;
    else if (!ROW_WISE.has(producer.op_type)) return false;
    // A Gather after the projection must pick along the vocabulary (a permutation), never along positions.
    const axis = Number(producer.attribute.find((attribute) => attribute.name === 'axis')?.i ?? 0);
    if (producer.op_type === 'Gather' && axis !== 2 && axis !== -1) return false;
    name = onPath ?? '';
  }
  if (!projection?.input[0]) return false;

  model.graph.input.push({
    name: LOGIT_ROWS_INPUT,
    type: { tensor_type: { elem_type: ONNX_INT64, shape: { dim: [{ dim_param: 'logit_rows' }] } } },
  });
  const gathered = `${LOGIT_ROWS_INPUT}/activations`;
  branch.node.splice(
    branch.node.indexOf(projection),
    0,
    onnxNode('Gather', [projection.input[0], LOGIT_ROWS_INPUT], [gathered], [intAttribute('axis', 1)]),
  );
  projection.input[0] = gathered;
  return true;
}
