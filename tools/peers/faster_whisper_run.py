"""Runs faster-whisper (the peer of `npm run bench:accuracy`) on a list of files; prints one JSON object.

    python tools/peers/faster_whisper_run.py <job.json>

job.json: {"model": <CTranslate2 folder>, "computeType": "int8", "cpuThreads": 2,
           "runs": [{"id": ..., "audio": <path>, "beamSize": 5, "language": null, "multilingual": false}]}
Each run: faster-whisper's defaults (temperature fallback, condition on previous text, language detected from
the first 30 s unless given) with VAD on and word timestamps. One model load serves every run; a run that
fails is reported with its error and the rest go on.
"""

from __future__ import annotations

import json
import sys
import time
import traceback

from faster_whisper import WhisperModel


def transcribe(model: WhisperModel, run: dict) -> dict:
    started = time.perf_counter()
    segments, info = model.transcribe(
        run["audio"],
        beam_size=run["beamSize"],
        language=run.get("language"),
        multilingual=bool(run.get("multilingual", False)),
        vad_filter=True,
        word_timestamps=True,
    )
    out = []
    for segment in segments:
        out.append({
            "start": segment.start,
            "end": segment.end,
            "text": segment.text,
            "temperature": segment.temperature,
            "compressionRatio": segment.compression_ratio,
            "avgLogprob": segment.avg_logprob,
            "noSpeechProb": segment.no_speech_prob,
            "words": [{"start": w.start, "end": w.end, "text": w.word, "probability": w.probability}
                      for w in (segment.words or [])],
        })
    return {
        "id": run["id"],
        "ok": True,
        "wallSeconds": time.perf_counter() - started,
        "duration": info.duration,
        "language": info.language,
        "languageProbability": info.language_probability,
        "segments": out,
    }


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as handle:
        job = json.load(handle)
    started = time.perf_counter()
    model = WhisperModel(job["model"], device="cpu", compute_type=job.get("computeType", "int8"),
                         cpu_threads=int(job.get("cpuThreads", 2)))
    load_seconds = time.perf_counter() - started
    runs = []
    for run in job["runs"]:
        try:
            runs.append(transcribe(model, run))
        except Exception as error:  # noqa: BLE001 — one failing file is reported, the others still run
            runs.append({"id": run["id"], "ok": False, "error": f"{type(error).__name__}: {error}",
                         "trace": traceback.format_exc(limit=3)})
        print(f"faster-whisper {run['id']}: {'ok' if runs[-1]['ok'] else runs[-1]['error']}", file=sys.stderr, flush=True)
    print(json.dumps({"model": job["model"], "loadSeconds": load_seconds, "runs": runs}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
