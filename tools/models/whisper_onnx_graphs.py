"""Random-weight Whisper encoder and merged decoder as ONNX graphs, built with onnx.helper + numpy.

Input/output names and symbolic dims follow the optimum / Xenova exports that transformers.js loads.
The merged decoder is one `If` on `use_cache_branch` whose two branches hold the whole decoder and share
the weights (outer-scope initializers), as optimum's merge_decoders writes it:
- false (first step; transformers.js feeds empty past tensors of length 0): the cross-attention
  keys/values are projected from `encoder_hidden_states` and returned as `present.{i}.encoder.*`;
- true (later steps): the cross-attention reads `past_key_values.{i}.encoder.*` and projects nothing;
  `present.{i}.encoder.*` are then empty constants, which transformers.js replaces with the past it fed.
Self-attention concatenates onto a decoder past that may have length 0 in both branches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
NEG_INF = -1e9


@dataclass(frozen=True)
class Dims:
    vocab: int
    d_model: int = 64
    heads: int = 4
    ffn: int = 128
    encoder_layers: int = 2
    decoder_layers: int = 2
    mel_bins: int = 80
    source_positions: int = 1500
    target_positions: int = 448

    @property
    def head_dim(self) -> int:
        return self.d_model // self.heads


class GraphBuilder:
    """Collects nodes/initializers; `weight_mode` picks how MatMul weights are stored (fp32, q8/int8/uint8, fp16).

    Weights are drawn and stored once per hint, so building the same layers again (the second branch of
    an `If`) reuses the first build's initializers and leaves the random stream where it was. Their fp16
    Casts go to `shared_nodes`, at the top of the outer graph, so both branches read one fp32 copy.
    """

    def __init__(self, rng: np.random.Generator, weight_mode: str):
        self.rng = rng
        self.weight_mode = weight_mode
        self.nodes: list[onnx.NodeProto] = []
        self.shared_nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._count = 0
        self._drawn: dict[str, np.ndarray] = {}
        self._stored: dict[str, str] = {}
        self._widened: dict[str, str] = {}
        self._quantized: dict[str, tuple[str, str, str]] = {}

    def take_nodes(self) -> list[onnx.NodeProto]:
        """The nodes added so far (for a subgraph); later nodes start a new list."""
        nodes, self.nodes = self.nodes, []
        return nodes

    def fresh(self, hint: str) -> str:
        self._count += 1
        return f"{hint}_{self._count}"

    def const(self, hint: str, value: np.ndarray) -> str:
        name = self.fresh(hint)
        self.initializers.append(numpy_helper.from_array(value, name))
        return name

    def op(self, op_type: str, inputs: list[str], outputs: int | list[str] = 1, **attrs) -> list[str]:
        names = outputs if isinstance(outputs, list) else [self.fresh(op_type.lower()) for _ in range(outputs)]
        self.nodes.append(helper.make_node(op_type, inputs, names, **attrs))
        return names

    def op1(self, op_type: str, inputs: list[str], output: str | None = None, **attrs) -> str:
        return self.op(op_type, inputs, [output] if output else 1, **attrs)[0]

    def draw(self, hint: str, make: Callable[[], np.ndarray]) -> np.ndarray:
        if hint not in self._drawn:
            self._drawn[hint] = make()
        return self._drawn[hint]

    def random(self, hint: str, shape: tuple[int, ...], scale: float) -> np.ndarray:
        value = self.draw(hint, lambda: (self.rng.standard_normal(shape) * scale).astype(np.float32))
        assert value.shape == shape, f"{hint} drawn as {value.shape}, asked as {shape}"
        return value

    def stored(self, hint: str, value: np.ndarray) -> str:
        """An initializer stored once per hint."""
        if hint not in self._stored:
            self._stored[hint] = self.const(hint, value)
        return self._stored[hint]

    def float_weight(self, hint: str, value: np.ndarray) -> str:
        """A float32 tensor for Conv/LayerNorm/bias/embeddings (stored as fp16 + Cast in fp16 mode)."""
        if self.weight_mode != "fp16":
            return self.stored(hint, value)
        if hint not in self._widened:
            self._widened[hint] = self.fresh(hint + "_fp32")
            self.shared_nodes.append(helper.make_node("Cast", [self.stored(hint, value.astype(np.float16))],
                                                      [self._widened[hint]], to=TensorProto.FLOAT))
        return self._widened[hint]

    def linear(self, x: str, d_in: int, d_out: int, hint: str, bias: bool = True) -> str:
        weight = self.random(hint + "_w", (d_in, d_out), d_in ** -0.5)
        y = self.matmul_weight(x, weight, hint)
        if bias:
            y = self.op1("Add", [y, self.float_weight(hint + "_b", self.random(hint + "_b", (d_out,), 0.02))])
        return y

    @property
    def quantized(self) -> bool:
        return self.weight_mode in ("q8", "int8", "uint8")

    def quantize(self, hint: str, weight: np.ndarray) -> tuple[str, str, str]:
        """Per-tensor 8-bit weight: (quantized name, zero-point name, scale name)."""
        if hint not in self._quantized:
            self._quantized[hint] = self._store_quantized(hint, weight)
        return self._quantized[hint]

    def _store_quantized(self, hint: str, weight: np.ndarray) -> tuple[str, str, str]:
        if self.weight_mode == "int8":
            scale = max(float(np.abs(weight).max()) / 127.0, 1e-8)
            q, zero = np.clip(np.round(weight / scale), -127, 127).astype(np.int8), np.int8(0)
        else:
            lo, hi = min(float(weight.min()), 0.0), max(float(weight.max()), 0.0)
            scale = max((hi - lo) / 255.0, 1e-8)
            zero_point = int(np.clip(round(-lo / scale), 0, 255))
            q, zero = np.clip(np.round(weight / scale) + zero_point, 0, 255).astype(np.uint8), np.uint8(zero_point)
        return (self.const(hint + "_wq", q), self.const(hint + "_wzp", np.array(zero)),
                self.const(hint + "_ws", np.array(scale, dtype=np.float32)))

    def matmul_quantized(self, x: str, w_q: str, w_zero: str, w_scale: str) -> str:
        # Dynamic quantization as onnxruntime's quantize_dynamic writes it: the activation is
        # quantized per call (DynamicQuantizeLinear) and multiplied with 8-bit weights (MatMulInteger).
        x_q, x_scale, x_zero = self.op("DynamicQuantizeLinear", [x], 3)
        acc = self.op1("Cast", [self.op1("MatMulInteger", [x_q, w_q, x_zero, w_zero])], to=TensorProto.FLOAT)
        return self.op1("Mul", [acc, self.op1("Mul", [x_scale, w_scale])])

    def matmul_weight(self, x: str, weight: np.ndarray, hint: str) -> str:
        if self.quantized:
            return self.matmul_quantized(x, *self.quantize(hint, weight))
        return self.op1("MatMul", [x, self.float_weight(hint + "_w", weight)])

    def layer_norm(self, x: str, d: int, hint: str, output: str | None = None) -> str:
        gamma = self.float_weight(hint + "_g", np.ones(d, np.float32) + self.random(hint + "_g", (d,), 0.02))
        beta = self.float_weight(hint + "_beta", self.random(hint + "_beta", (d,), 0.02))
        return self.op1("LayerNormalization", [x, gamma, beta], output, axis=-1, epsilon=1e-5)

    def gelu(self, x: str) -> str:
        erf = self.op1("Erf", [self.op1("Mul", [x, self.const("inv_sqrt2", np.array(2 ** -0.5, np.float32))])])
        one_plus = self.op1("Add", [erf, self.const("one", np.array(1.0, np.float32))])
        return self.op1("Mul", [self.op1("Mul", [x, one_plus]), self.const("half", np.array(0.5, np.float32))])


@dataclass(frozen=True)
class Shaping:
    """Steers the random decoder towards Whisper-shaped output so tests see varied words, closed
    timestamp segments and an end of text, instead of one token repeated up to max_length.

    `positions` count decoder tokens including the prompt (<|startoftranscript|> ...).
    """

    readable: np.ndarray  # [vocab] bool: tokens that decode to " word" / "word" in ASCII letters
    eos_token_id: int
    timestamp_begin: int  # id of <|0.00|>
    segment_tokens: int = 8  # a timestamp pair every this many positions
    eos_after: int = 30  # <|endoftext|> is pushed from this position on
    timestamp_steps_per_token: float = 16.0  # 0.02 s units per position: ~0.32 s per token
    # Tokens that end a timestamped prompt (<|startoftranscript|> for .en, task tokens otherwise):
    # after them the first timestamp is steered to ~0 s, since transformers.js skips
    # max_initial_timestamp_index on the first step.
    prompt_end_ids: tuple[int, ...] = ()
    # Multiplies the random logits before the bias, so the walk is confident (an average log-probability
    # above -1, as real speech gives) and a decoder's temperature fallback is not taken on every window.
    sharpness: float = 1.0


def _shaping_bias(g: GraphBuilder, positions: str, shaping: Shaping, vocab: int) -> str:
    """[new, vocab] additive logit bias computed from each new token's position."""
    static = np.where(shaping.readable, 0.0, -8.0).astype(np.float32)
    is_timestamp = np.zeros(vocab, np.float32)
    is_timestamp[shaping.timestamp_begin:] = 1.0
    static[shaping.timestamp_begin:] = 0.0
    static[shaping.eos_token_id] = 0.0
    timestamp_index = np.zeros(vocab, np.float32)
    timestamp_index[shaping.timestamp_begin:] = np.arange(vocab - shaping.timestamp_begin, dtype=np.float32)
    eos_onehot = np.zeros(vocab, np.float32)
    eos_onehot[shaping.eos_token_id] = 1.0

    f = lambda v: g.const("shape_c", np.array(v, np.float32))  # noqa: E731
    pos = g.op1("Unsqueeze", [g.op1("Cast", [positions], to=TensorProto.FLOAT),
                              g.const("axes1", np.array([1], np.int64))])  # [new, 1]
    phase = g.op1("Mod", [pos, f(shaping.segment_tokens)], fmod=1)
    # A timestamp pair at phases 0 and 1 of each segment, and a closing timestamp just before the end.
    pair = g.op1("And", [g.op1("Less", [phase, f(2.0)]), g.op1("GreaterOrEqual", [pos, f(shaping.segment_tokens)])])
    closing = g.op1("Equal", [pos, f(shaping.eos_after - 1)])
    prompt_end = np.zeros(vocab, bool)
    prompt_end[list(shaping.prompt_end_ids)] = True
    after_prompt = g.op1("Unsqueeze", [g.op1("Gather", [g.const("prompt_end", prompt_end), "input_ids"]),
                                       g.const("axes2", np.array([2], np.int64))])  # [batch, new, 1]
    gate = g.op1("Or", [g.op1("Or", [pair, closing]), after_prompt])
    target = g.op1("Mul", [pos, f(shaping.timestamp_steps_per_token)])
    distance = g.op1("Abs", [g.op1("Sub", [g.const("ts_index", timestamp_index), target])])  # [new, vocab]
    wanted = g.op1("Sub", [f(40.0), distance])
    timestamp_bias = g.op1("Mul", [g.op1("Where", [gate, wanted, f(-20.0)]), g.const("is_ts", is_timestamp)])
    ending = g.op1("Cast", [g.op1("GreaterOrEqual", [pos, f(shaping.eos_after)])], to=TensorProto.FLOAT)
    eos_bias = g.op1("Mul", [g.op1("Mul", [ending, f(50.0)]), g.const("eos_onehot", eos_onehot)])
    return g.op1("Add", [g.op1("Add", [timestamp_bias, eos_bias]), g.const("static_bias", static)])


def _split_heads(g: GraphBuilder, x: str, dims: Dims) -> str:
    shape = g.const("heads_shape", np.array([0, 0, dims.heads, dims.head_dim], np.int64))
    return g.op1("Transpose", [g.op1("Reshape", [x, shape])], perm=[0, 2, 1, 3])


def _merge_heads(g: GraphBuilder, x: str, dims: Dims) -> str:
    shape = g.const("merge_shape", np.array([0, 0, dims.d_model], np.int64))
    return g.op1("Reshape", [g.op1("Transpose", [x], perm=[0, 2, 1, 3]), shape])


def _project_kv(g: GraphBuilder, x: str, dims: Dims, hint: str) -> tuple[str, str]:
    key = _split_heads(g, g.linear(x, dims.d_model, dims.d_model, hint + "_k", bias=False), dims)
    value = _split_heads(g, g.linear(x, dims.d_model, dims.d_model, hint + "_v"), dims)
    return key, value


def _attend(g: GraphBuilder, x: str, key: str, value: str, dims: Dims, hint: str,
            mask: str | None = None, probs_output: str | None = None) -> str:
    query = _split_heads(g, g.linear(x, dims.d_model, dims.d_model, hint + "_q"), dims)
    query = g.op1("Mul", [query, g.const("q_scale", np.array(dims.head_dim ** -0.5, np.float32))])
    scores = g.op1("MatMul", [query, g.op1("Transpose", [key], perm=[0, 1, 3, 2])])
    if mask is not None:
        scores = g.op1("Add", [scores, mask])
    probs = g.op1("Softmax", [scores], probs_output, axis=-1)
    context = _merge_heads(g, g.op1("MatMul", [probs, value]), dims)
    return g.linear(context, dims.d_model, dims.d_model, hint + "_o")


def _feed_forward(g: GraphBuilder, x: str, dims: Dims, hint: str) -> str:
    hidden = g.gelu(g.linear(x, dims.d_model, dims.ffn, hint + "_fc1"))
    return g.linear(hidden, dims.ffn, dims.d_model, hint + "_fc2")


def _model(g: GraphBuilder, name: str, inputs: list, outputs: list) -> onnx.ModelProto:
    graph = helper.make_graph(g.shared_nodes + g.nodes, name, inputs, outputs, g.initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="gen_tiny_whisper")
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    return model


def build_encoder(dims: Dims, seed: int, weight_mode: str) -> onnx.ModelProto:
    g = GraphBuilder(np.random.default_rng(seed), weight_mode)
    d = dims.d_model
    conv1_w = g.float_weight("conv1_w", g.random("conv1_w", (d, dims.mel_bins, 3), (dims.mel_bins * 3) ** -0.5))
    conv2_w = g.float_weight("conv2_w", g.random("conv2_w", (d, d, 3), (d * 3) ** -0.5))
    x = g.gelu(g.op1("Conv", ["input_features", conv1_w, g.float_weight("conv1_b", g.random("conv1_b", (d,), 0.02))],
                     kernel_shape=[3], pads=[1, 1]))
    x = g.gelu(g.op1("Conv", [x, conv2_w, g.float_weight("conv2_b", g.random("conv2_b", (d,), 0.02))],
                     kernel_shape=[3], pads=[1, 1], strides=[2]))
    x = g.op1("Transpose", [x], perm=[0, 2, 1])
    x = g.op1("Add", [x, g.float_weight("enc_pos", g.random("enc_pos", (dims.source_positions, d), 0.02))])
    for layer in range(dims.encoder_layers):
        hint = f"enc{layer}"
        h = g.layer_norm(x, d, hint + "_ln1")
        key, value = _project_kv(g, h, dims, hint + "_self")
        x = g.op1("Add", [x, _attend(g, h, key, value, dims, hint + "_self")])
        x = g.op1("Add", [x, _feed_forward(g, g.layer_norm(x, d, hint + "_ln2"), dims, hint)])
    g.layer_norm(x, d, "enc_ln_final", output="last_hidden_state")
    inputs = [helper.make_tensor_value_info("input_features", TensorProto.FLOAT,
                                           ["batch_size", dims.mel_bins, 2 * dims.source_positions])]
    outputs = [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT,
                                            ["batch_size", "encoder_sequence_length / 2", d])]
    return _model(g, "whisper_encoder", inputs, outputs)


def _positions_and_mask(g: GraphBuilder) -> tuple[str, str]:
    """Absolute positions of the new tokens, and an additive causal mask over past + new keys."""
    past_len = g.op1("Shape", ["past_key_values.0.decoder.key"], start=2, end=3)
    new_len = g.op1("Shape", ["input_ids"], start=1, end=2)
    total_len = g.op1("Add", [past_len, new_len])
    zero = g.const("zero", np.array(0, np.int64))
    one = g.const("one_i", np.array(1, np.int64))
    squeeze_axes = g.const("axes0", np.array([0], np.int64))
    past_scalar = g.op1("Squeeze", [past_len, squeeze_axes])
    total_scalar = g.op1("Squeeze", [total_len, squeeze_axes])
    positions = g.op1("Range", [past_scalar, total_scalar, one])  # [new]
    key_positions = g.op1("Range", [zero, total_scalar, one])  # [past + new]
    query_col = g.op1("Unsqueeze", [positions, g.const("axes1", np.array([1], np.int64))])  # [new, 1]
    future = g.op1("Greater", [key_positions, query_col])  # [new, past + new]
    mask = g.op1("Where", [future, g.const("neg_inf", np.array(NEG_INF, np.float32)),
                           g.const("fzero", np.array(0.0, np.float32))])
    return positions, mask


@dataclass(frozen=True)
class TiedEmbedding:
    """Whisper ties the output projection to the token embedding (logits = h @ embed_tokens^T).
    One stored copy serves both; the transpose sits in the outer graph, so onnxruntime folds it once
    at session start and both branches share the result."""

    table: str  # [vocab, d_model], for the token lookup
    transposed: str  # [d_model, vocab], for the output projection
    quantization: tuple[str, str] | None  # (zero point, scale) of both when they are 8-bit


def _tied_embedding(g: GraphBuilder, dims: Dims) -> TiedEmbedding:
    embed = g.random("embed_tokens", (dims.vocab, dims.d_model), 0.5)
    if g.quantized:
        embed_q, embed_zero, embed_scale = g.quantize("embed_tokens", embed)
        return TiedEmbedding(embed_q, g.op1("Transpose", [embed_q]), (embed_zero, embed_scale))
    table = g.float_weight("embed_tokens", embed)
    return TiedEmbedding(table, g.op1("Transpose", [table]), None)


def _decoder_body(g: GraphBuilder, dims: Dims, embedding: TiedEmbedding, positions: str, mask: str,
                  shaping_bias: str | None, cached: bool, sharpness: float = 1.0) -> list[str]:
    """One branch of the merged decoder; returns its outputs in the order of `_decoder_outputs`.

    `cached`: cross-attention reads `past_key_values.{i}.encoder.*` instead of projecting
    `encoder_hidden_states`, and `present.{i}.encoder.*` are empty constants, as in optimum's merge.
    """
    d = dims.d_model
    x = g.op1("Gather", [embedding.table, "input_ids"])
    if embedding.quantization is not None:
        # Only the looked-up rows are dequantized, as onnxruntime's quantize_dynamic does for Gather.
        zero, scale = embedding.quantization
        x = g.op1("DequantizeLinear", [x, scale, zero])
    dec_pos = g.random("dec_pos", (dims.target_positions, d), 0.02)
    x = g.op1("Add", [x, g.op1("Gather", [g.float_weight("dec_pos", dec_pos), positions])])
    presents: list[str] = []
    cross_attentions: list[str] = []
    for layer in range(dims.decoder_layers):
        hint = f"dec{layer}"
        h = g.layer_norm(x, d, hint + "_ln1")
        new_key, new_value = _project_kv(g, h, dims, hint + "_self")
        key = g.op1("Concat", [f"past_key_values.{layer}.decoder.key", new_key], axis=2)
        value = g.op1("Concat", [f"past_key_values.{layer}.decoder.value", new_value], axis=2)
        x = g.op1("Add", [x, _attend(g, h, key, value, dims, hint + "_self", mask=mask)])

        h = g.layer_norm(x, d, hint + "_ln2")
        if cached:
            cross_key = f"past_key_values.{layer}.encoder.key"
            cross_value = f"past_key_values.{layer}.encoder.value"
            empty = numpy_helper.from_array(np.zeros((0, dims.heads, 1, dims.head_dim), np.float32), "empty")
            present_cross = [g.op1("Constant", [], value=empty) for _ in range(2)]
        else:
            cross_key, cross_value = _project_kv(g, "encoder_hidden_states", dims, hint + "_cross")
            present_cross = [cross_key, cross_value]
        probs = g.fresh("cross_attentions")
        x = g.op1("Add", [x, _attend(g, h, cross_key, cross_value, dims, hint + "_cross", probs_output=probs)])
        x = g.op1("Add", [x, _feed_forward(g, g.layer_norm(x, d, hint + "_ln3"), dims, hint)])
        presents += [key, value, *present_cross]
        cross_attentions.append(probs)
    x = g.layer_norm(x, d, "dec_ln_final")
    if embedding.quantization is not None:
        logits = g.matmul_quantized(x, embedding.transposed, *embedding.quantization)
    else:
        logits = g.op1("MatMul", [x, embedding.transposed])
    if shaping_bias is not None:
        # The tied projection makes each token predict itself; a fixed permutation of the vocabulary
        # turns that into a walk over varied tokens.
        permutation = g.draw("vocab_permutation", lambda: g.rng.permutation(dims.vocab).astype(np.int64))
        logits = g.op1("Gather", [logits, g.stored("vocab_permutation", permutation)], axis=2)
        if sharpness != 1.0:
            logits = g.op1("Mul", [logits, g.const("sharpness", np.array(sharpness, np.float32))])
        logits = g.op1("Add", [logits, shaping_bias])
    return [logits, *presents, *cross_attentions]


def _decoder_outputs(dims: Dims) -> list[onnx.ValueInfoProto]:
    batch = "batch_size"
    kv_shape = lambda seq: [batch, dims.heads, seq, dims.head_dim]  # noqa: E731
    outputs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT,
                                             [batch, "decoder_sequence_length", dims.vocab])]
    for layer in range(dims.decoder_layers):
        p = f"present.{layer}"
        for kind, seq in (("decoder", "past_decoder_sequence_length + decoder_sequence_length"),
                          ("encoder", "encoder_sequence_length_out")):
            for tensor in ("key", "value"):
                outputs.append(helper.make_tensor_value_info(f"{p}.{kind}.{tensor}", TensorProto.FLOAT, kv_shape(seq)))
    outputs += [helper.make_tensor_value_info(f"cross_attentions.{layer}", TensorProto.FLOAT,
                                              [batch, dims.heads, "decoder_sequence_length",
                                               "encoder_sequence_length_out"])
                for layer in range(dims.decoder_layers)]
    return outputs


def _decoder_inputs(dims: Dims) -> list[onnx.ValueInfoProto]:
    batch = "batch_size"
    inputs = [
        helper.make_tensor_value_info("input_ids", TensorProto.INT64, [batch, "decoder_sequence_length"]),
        helper.make_tensor_value_info("encoder_hidden_states", TensorProto.FLOAT,
                                      [batch, "encoder_sequence_length / 2", dims.d_model]),
    ]
    for layer in range(dims.decoder_layers):
        for kind, seq in (("decoder", "past_decoder_sequence_length"), ("encoder", "encoder_sequence_length_out")):
            for tensor in ("key", "value"):
                inputs.append(helper.make_tensor_value_info(f"past_key_values.{layer}.{kind}.{tensor}",
                                                            TensorProto.FLOAT,
                                                            [batch, dims.heads, seq, dims.head_dim]))
    inputs.append(helper.make_tensor_value_info("use_cache_branch", TensorProto.BOOL, [1]))
    return inputs


def _branch(name: str, nodes: list[onnx.NodeProto], outputs: list[str]) -> onnx.GraphProto:
    return helper.make_graph(nodes, name, [], [helper.make_tensor_value_info(o, TensorProto.FLOAT, None)
                                               for o in outputs])


def build_decoder(dims: Dims, seed: int, weight_mode: str, shaping: Shaping | None) -> onnx.ModelProto:
    g = GraphBuilder(np.random.default_rng(seed), weight_mode)
    # What does not depend on the branch sits in the outer graph, and both branches read it.
    positions, mask = _positions_and_mask(g)
    bias = None if shaping is None else _shaping_bias(g, positions, shaping, dims.vocab)
    sharpness = 1.0 if shaping is None else shaping.sharpness
    # Weights are drawn in the order of the earlier single-graph decoder (embedding first, then the
    # first-step branch, which uses every other weight), so a seed keeps giving the same weights.
    embedding = _tied_embedding(g, dims)
    outer_nodes = g.take_nodes()
    first_step_outputs = _decoder_body(g, dims, embedding, positions, mask, bias, cached=False, sharpness=sharpness)
    first_step = _branch("decoder_first_step", g.take_nodes(), first_step_outputs)
    with_past_outputs = _decoder_body(g, dims, embedding, positions, mask, bias, cached=True, sharpness=sharpness)
    with_past = _branch("decoder_with_past", g.take_nodes(), with_past_outputs)
    g.nodes = outer_nodes
    outputs = _decoder_outputs(dims)
    g.op("If", ["use_cache_branch"], [o.name for o in outputs], then_branch=with_past, else_branch=first_step)
    return _model(g, "whisper_decoder_merged", _decoder_inputs(dims), outputs)
