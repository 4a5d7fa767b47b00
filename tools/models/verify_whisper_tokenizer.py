#!/usr/bin/env python3
"""Checks a generated tokenizer.json against OpenAI's own Whisper tokenizer (tiktoken), through transformers.js.

Encodes sample sentences with whisper/tokenizer.py from the openai-whisper sdist (imported by path:
importing the `whisper` package would pull in torch) and with transformers.js' AutoTokenizer on the
model folder, and compares ids, special-token ids and decoding.
Usage: python3 tools/models/verify_whisper_tokenizer.py <model-dir> [--english-only]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from whisper_tokenizer_json import OPENAI_WHISPER_VERSION, locate_asset  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
SENTENCES = [
    " And so my fellow Americans, ask not what your country can do for you.",
    "Ask what you can do for your country!",
    " J'adore, j'aime, je n'aime pas, je déteste.",
    " 東京は日本の首都です。",
    " Привет, как дела? 12345 3.14159",
    "  double  spaces\tand\nnewlines's ♪♪",
]
SPECIALS = ["<|endoftext|>", "<|startoftranscript|>", "<|en|>", "<|fr|>", "<|su|>", "<|translate|>",
            "<|transcribe|>", "<|startoflm|>", "<|startofprev|>", "<|nospeech|>", "<|notimestamps|>",
            "<|0.00|>", "<|1.00|>", "<|30.00|>"]

NODE_SCRIPT = r"""
import { AutoTokenizer, env } from '@huggingface/transformers';
import path from 'node:path';
const [dir, payload] = process.argv.slice(-2);
env.allowRemoteModels = false;
env.localModelPath = path.dirname(dir);
const tok = await AutoTokenizer.from_pretrained(path.basename(dir), { local_files_only: true });
const { sentences, specials } = JSON.parse(payload);
const ids = sentences.map((s) => tok.encode(s, { add_special_tokens: false }));
console.log(JSON.stringify({
  ids,
  decoded: ids.map((x) => tok.decode(x)),
  specials: Object.fromEntries(specials.map((s) => [s, tok._tokenizer.token_to_id(s)])),
  with_specials: tok.encode(sentences[0]),
}));
"""


def load_openai_tokenizer(cache_dir: Path):
    locate_asset("multilingual.tiktoken", None, cache_dir)  # makes sure the sdist is cached
    sdist = cache_dir / f"openai_whisper-{OPENAI_WHISPER_VERSION}.tar.gz"
    source = cache_dir / "src"
    if not (source / "whisper" / "tokenizer.py").is_file():
        with tarfile.open(sdist) as tar:
            prefix = f"openai_whisper-{OPENAI_WHISPER_VERSION}/whisper/"
            for member in tar.getmembers():
                if member.name.startswith(prefix + "assets/") or member.name == prefix + "tokenizer.py":
                    member.name = member.name[len(f"openai_whisper-{OPENAI_WHISPER_VERSION}/"):]
                    tar.extract(member, source)
    spec = importlib.util.spec_from_file_location("whisper_tokenizer", source / "whisper" / "tokenizer.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules["whisper_tokenizer"] = module
    spec.loader.exec_module(module)
    return module


def main() -> None:
    default_cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "verbatim" / "openai-whisper"
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("model_dir", type=Path)
    p.add_argument("--english-only", action="store_true")
    p.add_argument("--cache-dir", type=Path, default=default_cache)
    args = p.parse_args()

    openai = load_openai_tokenizer(args.cache_dir)
    tokenizer = openai.get_tokenizer(multilingual=not args.english_only)
    expected_ids = [tokenizer.encoding.encode(s) for s in SENTENCES]
    openai_name = {"<|nospeech|>": "<|nospeech|>"}
    expected_specials = {s: tokenizer.encoding.encode_single_token(openai_name.get(s, s)) for s in SPECIALS}

    payload = json.dumps({"sentences": SENTENCES, "specials": SPECIALS})
    result = subprocess.run(["node", "--input-type=module", "-e", NODE_SCRIPT, "--", str(args.model_dir.resolve()),
                             payload], cwd=REPO_ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"transformers.js tokenizer failed:\n{result.stderr}")
    got = json.loads(result.stdout.strip().splitlines()[-1])

    failures = 0
    for sentence, want, have, text in zip(SENTENCES, expected_ids, got["ids"], got["decoded"]):
        ok = want == have and text == sentence
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {sentence!r}: {have}" + ("" if ok else f" expected {want}, decoded {text!r}"))
    for name, want in expected_specials.items():
        have = got["specials"][name]
        failures += have != want
        print(f"{'ok  ' if have == want else 'FAIL'} {name} = {have}" + ("" if have == want else f" expected {want}"))
    print("encode with special tokens:", got["with_specials"])
    print(f"{len(SENTENCES) + len(SPECIALS) - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
