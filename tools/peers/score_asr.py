"""Scores transcripts for `npm run bench:accuracy` (every engine the same way); reads JSON on stdin, prints JSON.

Input: {"texts": [{"key", "language", "kind": "clip" | "mixed", "reference", "hypothesis"}],
        "words": [{"key", "language", "ours": [{"text", "start", "end"}], "theirs": [...]}]}

texts: Whisper's own normalisers (whisper-normalizer, a standalone copy of openai-whisper's):
- a clip in English: EnglishTextNormalizer, word error rate;
- Chinese and Korean: BasicTextNormalizer, character error rate with spaces removed;
- other languages: BasicTextNormalizer, word error rate;
- "mixed" (a long file of clips in several languages): BasicTextNormalizer, units are words except that
  Chinese/Japanese/Korean characters count one unit each.
Each text gets errors (substitutions + deletions + insertions of the edit-distance alignment) and the
reference's units.

words: the two word lists normalised word by word (the clip language's normaliser), aligned by edit
distance; for each pair of equal words, the |start| and |end| differences in seconds.
"""

from __future__ import annotations

import json
import re
import sys

from whisper_normalizer.basic import BasicTextNormalizer
from whisper_normalizer.english import EnglishTextNormalizer

ENGLISH = EnglishTextNormalizer()
BASIC = BasicTextNormalizer()
CHARACTER_LANGUAGES = {"zh", "ko", "ja", "yue"}
# Han (with extensions and compatibility), Hiragana, Katakana, Hangul syllables and jamo.
CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f]")
CJK_OR_RUN = re.compile(CJK.pattern + r"|[^\s" + CJK.pattern[1:-1] + r"]+")


def units(text: str, language: str, kind: str) -> tuple[list[str], str]:
    """The text's scoring units and their kind ("word" or "char")."""
    if kind == "mixed":
        return CJK_OR_RUN.findall(BASIC(text)), "word"
    if language == "en":
        return ENGLISH(text).split(), "word"
    normalized = BASIC(text)
    if language in CHARACTER_LANGUAGES:
        return list(re.sub(r"\s+", "", normalized)), "char"
    return normalized.split(), "word"


def align(ref: list[str], hyp: list[str]) -> list[tuple[int | None, int | None]]:
    """Edit-distance alignment (unit costs) as (ref index | None, hyp index | None) pairs, in order."""
    rows, cols = len(ref) + 1, len(hyp) + 1
    cost = [[0] * cols for _ in range(rows)]
    for i in range(rows):
        cost[i][0] = i
    for j in range(cols):
        cost[0][j] = j
    for i in range(1, rows):
        for j in range(1, cols):
            cost[i][j] = min(cost[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]), cost[i - 1][j] + 1, cost[i][j - 1] + 1)
    pairs: list[tuple[int | None, int | None]] = []
    i, j = len(ref), len(hyp)
    while i > 0 or j > 0:
        if i > 0 and j > 0 and cost[i][j] == cost[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif i > 0 and cost[i][j] == cost[i - 1][j] + 1:
            pairs.append((i - 1, None))
            i -= 1
        else:
            pairs.append((None, j - 1))
            j -= 1
    pairs.reverse()
    return pairs


def score_text(item: dict) -> dict:
    ref, unit = units(item["reference"], item["language"], item.get("kind", "clip"))
    hyp, _ = units(item["hypothesis"], item["language"], item.get("kind", "clip"))
    substitutions = deletions = insertions = 0
    for r, h in align(ref, hyp):
        if r is None:
            insertions += 1
        elif h is None:
            deletions += 1
        elif ref[r] != hyp[h]:
            substitutions += 1
    joiner = "" if unit == "char" else " "
    return {
        "key": item["key"],
        "unit": unit,
        "units": len(ref),
        "errors": substitutions + deletions + insertions,
        "substitutions": substitutions,
        "deletions": deletions,
        "insertions": insertions,
        "normalizedReference": joiner.join(ref),
        "normalizedHypothesis": joiner.join(hyp),
    }


def word_keys(words: list[dict], language: str) -> list[tuple[str, dict]]:
    normalize = ENGLISH if language == "en" else BASIC
    keyed = []
    for word in words:
        key = " ".join(normalize(word["text"]).split())
        if key:
            keyed.append((key, word))
    return keyed


def score_words(item: dict) -> dict:
    ours = word_keys(item["ours"], item["language"])
    theirs = word_keys(item["theirs"], item["language"])
    starts: list[float] = []
    ends: list[float] = []
    for o, t in align([k for k, _ in ours], [k for k, _ in theirs]):
        if o is not None and t is not None and ours[o][0] == theirs[t][0]:
            starts.append(abs(ours[o][1]["start"] - theirs[t][1]["start"]))
            ends.append(abs(ours[o][1]["end"] - theirs[t][1]["end"]))
    return {"key": item["key"], "ours": len(ours), "theirs": len(theirs), "matched": len(starts),
            "startDiffs": starts, "endDiffs": ends}


def main() -> int:
    payload = json.load(sys.stdin)
    result = {
        "texts": [score_text(item) for item in payload.get("texts", [])],
        "words": [score_words(item) for item in payload.get("words", [])],
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
