#!/usr/bin/env python3
"""Writes a tiny random-weight Whisper model in the transformers.js folder layout.

The weights are random (the text it produces is gibberish) but everything around them is real:
the multilingual (or English-only) Whisper tokenizer, the generation config, and ONNX graphs with the
same input/output names as the Xenova/whisper-* exports, so onnxruntime-node and the transformers.js
Whisper decoding loop (task/language tokens, timestamps, word timestamps) run for real.

Usage: python3 tools/models/gen_tiny_whisper.py --out <dir> [--english-only] [--dtypes fp32,q8]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import onnx  # noqa: E402

from whisper_onnx_graphs import Dims, Shaping, build_decoder, build_encoder  # noqa: E402
from whisper_tokenizer_json import (  # noqa: E402
    LANGUAGE_CODES,
    build_tokenizer_config,
    build_tokenizer_json,
    locate_asset,
    non_speech_tokens,
    read_ranks,
    special_tokens,
)

# transformers.js file suffix per dtype (utils/dtypes.js DEFAULT_DTYPE_SUFFIX_MAPPING).
DTYPE_SUFFIX = {"fp32": "", "fp16": "_fp16", "q8": "_quantized", "int8": "_int8", "uint8": "_uint8"}
# Weight storage per dtype: q8 is what transformers.js' own conversion writes (uint8 dynamic quantization).
DTYPE_WEIGHT_MODE = {"fp32": "fp32", "fp16": "fp16", "q8": "uint8", "int8": "int8", "uint8": "uint8"}


def parse_args() -> argparse.Namespace:
    default_cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "verbatim" / "openai-whisper"
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, type=Path, help="output model folder")
    p.add_argument("--english-only", action="store_true", help="whisper-*.en layout: GPT-2 vocab, 51864 tokens")
    p.add_argument("--dtypes", default="fp32", help=f"comma list of {','.join(DTYPE_SUFFIX)} (default fp32)")
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--d-model", type=int, default=64)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--ffn", type=int, default=128)
    p.add_argument("--encoder-layers", type=int, default=2)
    p.add_argument("--decoder-layers", type=int, default=2)
    p.add_argument("--plain-random", action="store_true",
                   help="no output shaping: the random decoder then repeats one token up to max_length (448)")
    p.add_argument("--segment-tokens", type=int, default=8, help="shaping: a timestamp pair every N positions")
    p.add_argument("--eos-after", type=int, default=30, help="shaping: <|endoftext|> from this decoder position on")
    p.add_argument("--sharpness", type=float, default=2.0,
                   help="shaping: scale of the random logits (confidence), relative to d_model 64")
    p.add_argument("--whisper-assets", type=Path, default=None,
                   help="folder holding openai-whisper's *.tiktoken files (default: installed package or pip download)")
    p.add_argument("--cache-dir", type=Path, default=default_cache, help="where the openai-whisper sdist is cached")
    return p.parse_args()


def token_ids(first_special: int) -> dict[str, int]:
    return {name: token_id for token_id, name, _ in special_tokens(first_special)}


def readable_tokens(ranks: dict[bytes, int], vocab: int) -> np.ndarray:
    """Tokens that are an ASCII word of 2+ letters, optionally with a leading space."""
    readable = np.zeros(vocab, bool)
    for token, rank in ranks.items():
        word = token[1:] if token.startswith(b" ") else token
        readable[rank] = len(word) >= 2 and word.isalpha() and word.isascii()
    return readable


def build_configs(dims: Dims, ids: dict[str, int], suppress: list[int], multilingual: bool) -> tuple[dict, dict]:
    eot, sot = ids["<|endoftext|>"], ids["<|startoftranscript|>"]
    alignment_heads = [[dims.decoder_layers - 1, h] for h in range(dims.heads)]
    config = {
        "_name_or_path": "verbatim/tiny-random-whisper" + ("" if multilingual else ".en"),
        "activation_dropout": 0.0,
        "activation_function": "gelu",
        "architectures": ["WhisperForConditionalGeneration"],
        "attention_dropout": 0.0,
        "begin_suppress_tokens": [220, eot],
        "bos_token_id": eot,
        "d_model": dims.d_model,
        "decoder_attention_heads": dims.heads,
        "decoder_ffn_dim": dims.ffn,
        "decoder_layers": dims.decoder_layers,
        "decoder_start_token_id": sot,
        "dropout": 0.0,
        "encoder_attention_heads": dims.heads,
        "encoder_ffn_dim": dims.ffn,
        "encoder_layers": dims.encoder_layers,
        "eos_token_id": eot,
        "is_encoder_decoder": True,
        "max_source_positions": dims.source_positions,
        "max_target_positions": dims.target_positions,
        "median_filter_width": 7,
        "model_type": "whisper",
        "num_hidden_layers": dims.encoder_layers,
        "num_mel_bins": dims.mel_bins,
        "pad_token_id": eot,
        "scale_embedding": False,
        "torch_dtype": "float32",
        "use_cache": True,
        "vocab_size": dims.vocab,
    }
    generation = {
        "alignment_heads": alignment_heads,
        "begin_suppress_tokens": [220, eot],
        "bos_token_id": eot,
        "decoder_start_token_id": sot,
        "eos_token_id": eot,
        "is_multilingual": multilingual,
        "max_initial_timestamp_index": 50,
        "max_length": dims.target_positions,
        "no_timestamps_token_id": ids["<|notimestamps|>"],
        "pad_token_id": eot,
        "prev_sot_token_id": ids["<|startofprev|>"],
        "return_timestamps": False,
        "suppress_tokens": suppress,
    }
    if multilingual:
        generation["lang_to_id"] = {f"<|{c}|>": ids[f"<|{c}|>"] for c in LANGUAGE_CODES}
        generation["task_to_id"] = {"transcribe": ids["<|transcribe|>"], "translate": ids["<|translate|>"]}
    return config, generation


PREPROCESSOR_CONFIG = {
    "chunk_length": 30,
    "feature_extractor_type": "WhisperFeatureExtractor",
    "feature_size": 80,
    "hop_length": 160,
    "n_fft": 400,
    "n_samples": 480000,
    "nb_max_frames": 3000,
    "padding_side": "right",
    "padding_value": 0.0,
    "processor_class": "WhisperProcessor",
    "return_attention_mask": False,
    "sampling_rate": 16000,
}


def write_json(path: Path, value: dict) -> None:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    dtypes = [d.strip() for d in args.dtypes.split(",") if d.strip()]
    unknown = [d for d in dtypes if d not in DTYPE_SUFFIX]
    if unknown:
        sys.exit(f"unknown dtype(s) {unknown}; choose from {list(DTYPE_SUFFIX)}")

    multilingual = not args.english_only
    asset = "multilingual.tiktoken" if multilingual else "gpt2.tiktoken"
    ranks = read_ranks(locate_asset(asset, args.whisper_assets, args.cache_dir))
    ids = token_ids(len(ranks))
    dims = Dims(vocab=len(ranks) + len(ids), d_model=args.d_model, heads=args.heads, ffn=args.ffn,
                encoder_layers=args.encoder_layers, decoder_layers=args.decoder_layers)
    expected_vocab = 51865 if multilingual else 51864
    if dims.vocab != expected_vocab:
        sys.exit(f"vocab size {dims.vocab} != {expected_vocab}")

    suppress = sorted(set(non_speech_tokens(ranks)) | {
        ids[n] for n in ("<|transcribe|>", "<|translate|>", "<|startoftranscript|>", "<|startofprev|>",
                         "<|startoflm|>", "<|nospeech|>")})

    out: Path = args.out
    (out / "onnx").mkdir(parents=True, exist_ok=True)
    config, generation = build_configs(dims, ids, suppress, multilingual)
    write_json(out / "config.json", config)
    write_json(out / "generation_config.json", generation)
    write_json(out / "preprocessor_config.json", PREPROCESSOR_CONFIG)
    write_json(out / "tokenizer_config.json", build_tokenizer_config())
    (out / "tokenizer.json").write_text(json.dumps(build_tokenizer_json(ranks), ensure_ascii=False), encoding="utf-8")

    shaping = None if args.plain_random else Shaping(
        readable=readable_tokens(ranks, dims.vocab), eos_token_id=ids["<|endoftext|>"],
        timestamp_begin=ids["<|0.00|>"], segment_tokens=args.segment_tokens, eos_after=args.eos_after,
        sharpness=args.sharpness * (64 / args.d_model) ** 0.5,
        prompt_end_ids=(ids["<|transcribe|>"], ids["<|translate|>"]) if multilingual
        else (ids["<|startoftranscript|>"],))
    for dtype in dtypes:
        mode, suffix = DTYPE_WEIGHT_MODE[dtype], DTYPE_SUFFIX[dtype]
        encoder = build_encoder(dims, args.seed, mode)
        decoder = build_decoder(dims, args.seed + 1, mode, shaping)
        onnx.save(encoder, str(out / "onnx" / f"encoder_model{suffix}.onnx"))
        onnx.save(decoder, str(out / "onnx" / f"decoder_model_merged{suffix}.onnx"))

    total = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"wrote {out} ({total / 1e6:.1f} MB, vocab {dims.vocab}, dtypes {','.join(dtypes)}) "
          f"in {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
