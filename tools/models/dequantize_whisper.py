"""fp32 copies of 8-bit Whisper ONNX files (transformers.js layout), for benches and tests.

The 8-bit files hold per-tensor uint8 dynamic quantization as `whisper_onnx_graphs.py` writes it (and as
onnxruntime's `quantize_dynamic` does):
- a linear layer is DynamicQuantizeLinear(x) → MatMulInteger(x_q, W_q, x_zero, w_zero) → Cast → Mul by
  (x_scale · w_scale); W_q is an initializer or the Transpose of one (the tied output projection);
- the token lookup is Gather(table_q, ids) → DequantizeLinear(rows, scale, zero);
- the merged decoder's `If` branches read these initializers from the outer graph.
Each uint8 weight becomes (W_q − zero) · scale in float32 under its own name, each linear layer a plain
MatMul(x, W), each lookup a Gather of the float table; what is left unused is dropped. The result is the same
network without the 8-bit rounding of the weights (and without the per-call rounding of the activations).

    python tools/models/dequantize_whisper.py <model dir> <out dir>

writes <out>/onnx/encoder_model.onnx and decoder_model_merged.onnx (dtype fp32) with the folder's configs and
tokenizer copied, and <out>/dequantized-from.json (sha256 of the sources): a second run with the same sources
does nothing. Needs numpy and onnx only (tools/models/requirements.txt).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, numpy_helper

FILES = {"encoder_model_quantized.onnx": "encoder_model.onnx",
         "decoder_model_merged_quantized.onnx": "decoder_model_merged.onnx"}
STAMP = "dequantized-from.json"
VERSION = 1


@dataclass
class Scope:
    """Every graph of a model (the main graph and the If branches) with who produces and reads each name."""

    graphs: list[onnx.GraphProto] = field(default_factory=list)
    producer: dict[str, onnx.NodeProto] = field(default_factory=dict)
    readers: dict[str, list[onnx.NodeProto]] = field(default_factory=dict)
    initializers: dict[str, onnx.TensorProto] = field(default_factory=dict)

    @staticmethod
    def of(model: onnx.ModelProto) -> "Scope":
        scope = Scope()
        scope._add(model.graph)
        return scope

    def _add(self, graph: onnx.GraphProto) -> None:
        self.graphs.append(graph)
        for tensor in graph.initializer:
            self.initializers[tensor.name] = tensor
        for node in graph.node:
            for name in node.output:
                self.producer[name] = node
            for name in node.input:
                if name:
                    self.readers.setdefault(name, []).append(node)
            for attribute in node.attribute:
                if attribute.type == onnx.AttributeProto.GRAPH:
                    self._add(attribute.g)

    def only_reader(self, name: str, op_type: str) -> onnx.NodeProto:
        readers = self.readers.get(name, [])
        if len(readers) != 1 or readers[0].op_type != op_type:
            raise ValueError(f"{name} is read by {[r.op_type for r in readers]}, expected one {op_type}")
        return readers[0]

    def made_by(self, name: str, op_type: str) -> onnx.NodeProto:
        node = self.producer.get(name)
        if node is None or node.op_type != op_type:
            raise ValueError(f"{name} comes from {node.op_type if node else 'no node'}, expected {op_type}")
        return node


def _array(scope: Scope, name: str) -> np.ndarray:
    if name not in scope.initializers:
        raise ValueError(f"{name} is not an initializer")
    return numpy_helper.to_array(scope.initializers[name])


def _replace_initializer(scope: Scope, name: str, value: np.ndarray) -> None:
    scope.initializers[name].CopyFrom(numpy_helper.from_array(value.astype(np.float32), name))


def dequantize(model: onnx.ModelProto) -> dict[str, int]:
    """Rewrites `model` in place; returns counts of what was rewritten."""
    scope = Scope.of(model)
    # The weight each quantized use reads, with its zero point and scale (one per weight, checked).
    quantization: dict[str, tuple[str, str]] = {}
    doomed: list[onnx.NodeProto] = []

    def note(weight: str, zero: str, scale: str) -> None:
        if quantization.setdefault(weight, (zero, scale)) != (zero, scale):
            raise ValueError(f"{weight} is used with two different quantizations")

    linear = [node for graph in scope.graphs for node in graph.node if node.op_type == "MatMulInteger"]
    for matmul in linear:
        x_q, w_q, _x_zero, w_zero = matmul.input
        quantize = scope.made_by(x_q, "DynamicQuantizeLinear")
        x_scale = quantize.output[1]
        cast = scope.only_reader(matmul.output[0], "Cast")
        rescale = scope.only_reader(cast.output[0], "Mul")
        factor = next(name for name in rescale.input if name != cast.output[0])
        scales = scope.made_by(factor, "Mul")
        w_scale = next(name for name in scales.input if name != x_scale)
        if w_q in scope.initializers:
            note(w_q, w_zero, w_scale)
        else:
            # The tied output projection: MatMulInteger reads Transpose(table_q); the Transpose then reads the float table.
            transpose = scope.made_by(w_q, "Transpose")
            note(transpose.input[0], w_zero, w_scale)
        matmul.op_type = "MatMul"
        del matmul.input[:]
        matmul.input.extend([quantize.input[0], w_q])
        matmul.output[0] = rescale.output[0]
        doomed += [cast, rescale]

    lookups = [node for graph in scope.graphs for node in graph.node if node.op_type == "DequantizeLinear"]
    for dequantize_node in lookups:
        rows, scale, zero = (list(dequantize_node.input) + [""])[:3]
        gather = scope.made_by(rows, "Gather")
        note(gather.input[0], zero, scale)
        gather.output[0] = dequantize_node.output[0]
        doomed.append(dequantize_node)

    for weight, (zero, scale) in quantization.items():
        quantized = _array(scope, weight)
        if quantized.dtype not in (np.uint8, np.int8):
            raise ValueError(f"{weight} is {quantized.dtype}, not 8-bit")
        zero_point = _array(scope, zero).astype(np.float32) if zero else np.float32(0)
        _replace_initializer(scope, weight, (quantized.astype(np.float32) - zero_point) * _array(scope, scale))

    # Identified by kind and output: a rewritten MatMul or Gather took over the output name of what it replaces.
    doomed_keys = {(node.op_type, node.output[0]) for node in doomed}
    for graph in scope.graphs:
        for index in reversed(range(len(graph.node))):
            if (graph.node[index].op_type, graph.node[index].output[0]) in doomed_keys:
                del graph.node[index]
        # Types recorded for intermediate names may now be wrong (uint8 → float); shape inference redoes them.
        del graph.value_info[:]
    removed = _drop_unused(model)
    left = [node.op_type for graph in Scope.of(model).graphs for node in graph.node
            if node.op_type in ("MatMulInteger", "DynamicQuantizeLinear", "DequantizeLinear")]
    eight_bit = [t.name for t in Scope.of(model).initializers.values()
                 if t.data_type in (TensorProto.UINT8, TensorProto.INT8)]
    if left or eight_bit:
        raise ValueError(f"still quantized: ops {sorted(set(left))}, initializers {eight_bit[:5]}")
    return {"linear": len(linear), "lookups": len(lookups), "weights": len(quantization), "removedNodes": removed}


def _drop_unused(model: onnx.ModelProto) -> int:
    """Removes nodes (repeatedly) and initializers that nothing reads, across the If branches too."""
    removed = 0
    while True:
        scope = Scope.of(model)
        used = set(scope.readers) | {out.name for graph in scope.graphs for out in graph.output}
        dropped = 0
        for graph in scope.graphs:
            for index in reversed(range(len(graph.node))):
                node = graph.node[index]
                if node.op_type != "If" and not any(name in used for name in node.output):
                    del graph.node[index]
                    dropped += 1
        removed += dropped
        if dropped == 0:
            break
    for graph in scope.graphs:
        for index in reversed(range(len(graph.initializer))):
            if graph.initializer[index].name not in used:
                del graph.initializer[index]
    return removed


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--force", action="store_true", help="rewrite even when the stamp matches")
    args = parser.parse_args()
    sources = {name: args.model_dir / "onnx" / name for name in FILES}
    for path in sources.values():
        if not path.is_file():
            print(f"missing {path}", file=sys.stderr)
            return 2
    stamp = {"version": VERSION, "sources": {name: sha256(path) for name, path in sources.items()}}
    stamp_path = args.out_dir / STAMP
    if not args.force and stamp_path.is_file() and json.loads(stamp_path.read_text()) == stamp:
        print(json.dumps({"outDir": str(args.out_dir), "cached": True}))
        return 0
    (args.out_dir / "onnx").mkdir(parents=True, exist_ok=True)
    stamp_path.unlink(missing_ok=True)
    for item in args.model_dir.iterdir():
        if item.is_file():
            shutil.copyfile(item, args.out_dir / item.name)
    report: dict[str, object] = {"outDir": str(args.out_dir), "cached": False}
    for name, path in sources.items():
        model = onnx.load(str(path))
        counts = dequantize(model)
        onnx.checker.check_model(model, full_check=True)
        target = args.out_dir / "onnx" / FILES[name]
        onnx.save(model, str(target.with_suffix(".tmp")))
        target.with_suffix(".tmp").replace(target)
        report[FILES[name]] = {**counts, "bytes": target.stat().st_size}
    stamp_path.write_text(json.dumps(stamp))
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
