import type { OnnxGraph, OnnxModel, OnnxNode } from '../../../onnx/onnx-model';

/**
 * The merged decoder's `If` on `use_cache_branch` and its cached branch (`then_branch`, the one every run but
 * the window's first takes), or null for a decoder without that layout.
 */
export function cachedBranch(model: OnnxModel): { branching: OnnxNode; branch: OnnxGraph } | null {
  const branching = model.graph.node.find((node) => node.op_type === 'If' && node.input[0] === 'use_cache_branch');
  const branch = branching?.attribute.find((attribute) => attribute.name === 'then_branch')?.g;
  return branching && branch ? { branching, branch } : null;
}
