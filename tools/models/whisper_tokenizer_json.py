"""Builds a Hugging Face tokenizer.json for Whisper from OpenAI's tiktoken rank files.

The rank files ship inside the `openai-whisper` PyPI package (whisper/assets/*.tiktoken),
so the real Whisper vocabulary is available without the Hugging Face hub.
"""

from __future__ import annotations

import base64
import hashlib
import io
import subprocess
import sys
import tarfile
from pathlib import Path

OPENAI_WHISPER_VERSION = "20250625"

# sha256 of the asset files inside openai-whisper==20250625, so a changed upstream file is caught.
ASSET_SHA256 = {
    "multilingual.tiktoken": "b34b360dbb493e781e479794586d661700670d65564001f23024971d1f2fa126",
    "gpt2.tiktoken": "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930",
}

# The first 99 entries of whisper.tokenizer.LANGUAGES, in id order (multilingual v1/v2 models).
LANGUAGE_CODES = (
    "en zh de es ru ko fr ja pt tr pl ca nl ar sv it id hi fi vi he uk el ms cs ro da hu ta no "
    "th ur hr bg lt la mi ml cy sk te fa lv bn sr az sl kn et mk br eu is hy ne mn bs kk sq sw "
    "gl mr pa si km sn yo so af oc ka be tg sd gu am yi lo uz fo ht ps tk nn mt sa lb my bo tl "
    "mg as tt haw ln ha ba jw su"
).split()
assert len(LANGUAGE_CODES) == 99

TIMESTAMP_COUNT = 1501  # <|0.00|> .. <|30.00|> in 0.02 s steps


def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's reversible byte -> printable character table used by byte-level BPE."""
    printable = (
        list(range(ord("!"), ord("~") + 1))
        + list(range(ord("¡"), ord("¬") + 1))
        + list(range(ord("®"), ord("ÿ") + 1))
    )
    codes = printable[:]
    extra = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            codes.append(256 + extra)
            extra += 1
    return dict(zip(printable, (chr(c) for c in codes)))


def special_tokens(first_id: int) -> list[tuple[int, str, bool]]:
    """(id, content, special) in Whisper's order; timestamps are non-special as in the HF export."""
    names = [
        "<|endoftext|>",
        "<|startoftranscript|>",
        *[f"<|{code}|>" for code in LANGUAGE_CODES],
        "<|translate|>",
        "<|transcribe|>",
        "<|startoflm|>",
        "<|startofprev|>",
        "<|nospeech|>",  # older HF exports call it <|nocaptions|>; current ones use OpenAI's name
        "<|notimestamps|>",
    ]
    tokens = [(first_id + i, name, True) for i, name in enumerate(names)]
    ts_start = first_id + len(names)
    tokens += [(ts_start + i, f"<|{i * 0.02:.2f}|>", False) for i in range(TIMESTAMP_COUNT)]
    return tokens


def read_ranks(path: Path) -> dict[bytes, int]:
    ranks: dict[bytes, int] = {}
    for line in path.read_text().splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return ranks


def _split_into_merge(ranks: dict[bytes, int], token: bytes) -> tuple[bytes, bytes]:
    """Replays tiktoken's BPE on `token` using only lower ranks; the last merge is the pair that forms it."""
    max_rank = ranks[token]
    parts = [bytes([b]) for b in token]
    while True:
        best_index, best_rank = -1, None
        for i in range(len(parts) - 1):
            rank = ranks.get(parts[i] + parts[i + 1])
            if rank is not None and rank < max_rank and (best_rank is None or rank < best_rank):
                best_index, best_rank = i, rank
        if best_rank is None:
            break
        parts[best_index : best_index + 2] = [parts[best_index] + parts[best_index + 1]]
    if len(parts) != 2:
        raise ValueError(f"token {token!r} does not reduce to a single merge")
    return parts[0], parts[1]


def build_tokenizer_json(ranks: dict[bytes, int]) -> dict:
    byte_chars = bytes_to_unicode()

    def to_str(b: bytes) -> str:
        return "".join(byte_chars[x] for x in b)

    vocab = {to_str(token): rank for token, rank in sorted(ranks.items(), key=lambda kv: kv[1])}
    merges = []
    for token, _rank in sorted(ranks.items(), key=lambda kv: kv[1]):
        if len(token) > 1:
            left, right = _split_into_merge(ranks, token)
            merges.append([to_str(left), to_str(right)])

    added = [
        {
            "id": token_id,
            "content": content,
            "single_word": False,
            "lstrip": False,
            "rstrip": False,
            "normalized": not special,
            "special": special,
        }
        for token_id, content, special in special_tokens(len(ranks))
    ]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": _prefix_template(len(ranks)),
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": None,
            "continuing_subword_prefix": "",
            "end_of_word_suffix": "",
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": False,
            "vocab": vocab,
            "merges": merges,
        },
    }


def _prefix_template(first_special_id: int) -> dict:
    """Same default template as the HF Whisper export: <|startoftranscript|> <|notimestamps|> $A <|endoftext|>."""
    specials = {name: token_id for token_id, name, _ in special_tokens(first_special_id)}

    def special(name: str, type_id: int = 0) -> dict:
        return {"SpecialToken": {"id": name, "type_id": type_id}}

    def seq(name: str, type_id: int = 0) -> dict:
        return {"Sequence": {"id": name, "type_id": type_id}}

    prefix = [special("<|startoftranscript|>"), special("<|notimestamps|>")]
    used = ["<|startoftranscript|>", "<|notimestamps|>", "<|endoftext|>"]
    return {
        "type": "TemplateProcessing",
        "single": [*prefix, seq("A"), special("<|endoftext|>")],
        "pair": [*prefix, seq("A"), seq("B", 1), special("<|endoftext|>", 1)],
        "special_tokens": {n: {"id": n, "ids": [specials[n]], "tokens": [n]} for n in used},
    }


def build_tokenizer_config(eot: str = "<|endoftext|>") -> dict:
    return {
        "add_bos_token": False,
        "add_prefix_space": False,
        "bos_token": eot,
        "clean_up_tokenization_spaces": True,
        "eos_token": eot,
        "errors": "replace",
        "model_max_length": 1024,
        "pad_token": eot,
        "processor_class": "WhisperProcessor",
        "return_attention_mask": False,
        "tokenizer_class": "WhisperTokenizer",
        "unk_token": eot,
    }


def _check_sha256(path: Path) -> None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != ASSET_SHA256[path.name]:
        raise RuntimeError(f"{path} has sha256 {digest}, expected {ASSET_SHA256[path.name]}")


def locate_asset(name: str, assets_dir: Path | None, cache_dir: Path) -> Path:
    """Finds whisper/assets/<name>: given dir, an installed `whisper` package, or a pip-downloaded sdist."""
    candidates = []
    if assets_dir is not None:
        candidates.append(assets_dir / name)
    import importlib.util

    spec = importlib.util.find_spec("whisper")  # find_spec does not import it (importing pulls in torch)
    if spec is not None and spec.submodule_search_locations:
        candidates += [Path(p) / "assets" / name for p in spec.submodule_search_locations]
    candidates.append(cache_dir / name)
    for candidate in candidates:
        if candidate.is_file():
            _check_sha256(candidate)
            return candidate

    cache_dir.mkdir(parents=True, exist_ok=True)
    sdist = cache_dir / f"openai_whisper-{OPENAI_WHISPER_VERSION}.tar.gz"
    if not sdist.is_file():
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
               "-d", str(cache_dir), f"openai-whisper=={OPENAI_WHISPER_VERSION}"]
        print("fetching Whisper tokenizer assets:", " ".join(cmd), file=sys.stderr)
        subprocess.run(cmd, check=True, stdout=sys.stderr)
    with tarfile.open(sdist) as tar:
        for member_name in ASSET_SHA256:
            member = tar.getmember(f"openai_whisper-{OPENAI_WHISPER_VERSION}/whisper/assets/{member_name}")
            data = tar.extractfile(member)
            assert data is not None
            (cache_dir / member_name).write_bytes(io.BytesIO(data.read()).getvalue())
    target = cache_dir / name
    _check_sha256(target)
    return target


def bpe_encode_pretoken(ranks: dict[bytes, int], text: str) -> list[int]:
    """tiktoken's BPE for a string that the GPT-2 pattern keeps as one piece (enough for symbol lists)."""
    parts = [bytes([b]) for b in text.encode("utf-8")]
    while len(parts) > 1:
        best_index, best_rank = -1, None
        for i in range(len(parts) - 1):
            rank = ranks.get(parts[i] + parts[i + 1])
            if rank is not None and (best_rank is None or rank < best_rank):
                best_index, best_rank = i, rank
        if best_rank is None:
            break
        parts[best_index : best_index + 2] = [parts[best_index] + parts[best_index + 1]]
    return [ranks[p] for p in parts]


def non_speech_tokens(ranks: dict[bytes, int]) -> list[int]:
    """Port of whisper.tokenizer.Tokenizer.non_speech_tokens (symbols Whisper never emits as speech)."""
    symbols = list('"#()*+/:;<=>@[\\]^_`{|}~「」『』')
    symbols += "<< >> <<< >>> -- --- -( -[ (' (\" (( )) ((( ))) [[ ]] {{ }} ♪♪ ♪♪♪".split()
    miscellaneous = set("♩♪♫♬♭♮♯")
    result = {bpe_encode_pretoken(ranks, " -")[0], bpe_encode_pretoken(ranks, " '")[0]}
    for symbol in symbols + list(miscellaneous):
        for tokens in (bpe_encode_pretoken(ranks, symbol), bpe_encode_pretoken(ranks, " " + symbol)):
            if len(tokens) == 1 or symbol in miscellaneous:
                result.add(tokens[0])
    return sorted(result)
