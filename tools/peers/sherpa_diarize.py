#!/usr/bin/env python3
"""sherpa-onnx offline speaker diarization on the same two ONNX files the engine uses (the peer in bench:diarize).

sherpa-onnx reads its settings from metadata keys inside each ONNX file (its export scripts write them:
scripts/pyannote/segmentation/export-onnx.py and scripts/3d-speaker/export-onnx.py in the sherpa-onnx
repository). Our files carry none, so a copy of each is written with those keys added; the weights are
untouched. Prints one JSON object: per file its turns, the wall time and the process CPU time.

usage: sherpa_diarize.py --segmentation SEG.onnx --embedding EMB.onnx --work DIR [--threads 2]
                         [--threshold 0.5] [--num-speakers N] file.f32|file.wav...
"""
import argparse
import json
import os
import resource
import time
import wave

import numpy as np
import onnx
import sherpa_onnx

SEGMENTATION_METADATA = {
    "model_type": "pyannote-segmentation-3.0",
    "version": "1",
    "sample_rate": "16000",
    "window_size": "160000",
    "receptive_field_size": "991",
    "receptive_field_shift": "270",
    "num_speakers": "3",
    "powerset_max_classes": "2",
    "num_classes": "7",
}
CAMPPLUS_METADATA = {
    "framework": "3d-speaker",
    "language": "Chinese-English",
    "sample_rate": "16000",
    "output_dim": "192",
    "normalize_samples": "1",
    "feature_normalize_type": "global-mean",
}


def with_metadata(source, target, metadata):
    if os.path.exists(target) and os.path.getmtime(target) >= os.path.getmtime(source):
        return target
    model = onnx.load(source)
    del model.metadata_props[:]
    for key, value in metadata.items():
        entry = model.metadata_props.add()
        entry.key = key
        entry.value = value
    tmp = target + ".tmp"
    onnx.save(model, tmp)
    os.replace(tmp, target)
    return target


def read_audio(path):
    """16 kHz mono: raw float32 little-endian (`.f32`, as the bench writes it) or 16-bit PCM WAV."""
    if path.endswith(".f32"):
        return np.fromfile(path, dtype="<f4")
    with wave.open(path) as w:
        if w.getframerate() != 16000 or w.getsampwidth() != 2:
            raise SystemExit(f"{path}: 16 kHz 16-bit PCM expected")
        data = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).reshape(-1, w.getnchannels())
    return (data.astype(np.float32).mean(axis=1) / 32768.0).astype(np.float32)


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--segmentation", required=True)
    parser.add_argument("--embedding", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--num-speakers", type=int, default=-1)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    segmentation = with_metadata(args.segmentation, os.path.join(args.work, "segmentation-sherpa.onnx"), SEGMENTATION_METADATA)
    embedding = with_metadata(args.embedding, os.path.join(args.work, "embedding-sherpa.onnx"), CAMPPLUS_METADATA)
    config = sherpa_onnx.OfflineSpeakerDiarizationConfig(
        segmentation=sherpa_onnx.OfflineSpeakerSegmentationModelConfig(
            pyannote=sherpa_onnx.OfflineSpeakerSegmentationPyannoteModelConfig(model=segmentation),
            num_threads=args.threads,
        ),
        embedding=sherpa_onnx.SpeakerEmbeddingExtractorConfig(model=embedding, num_threads=args.threads),
        clustering=sherpa_onnx.FastClusteringConfig(num_clusters=args.num_speakers, threshold=args.threshold),
    )
    if not config.validate():
        raise SystemExit("sherpa-onnx rejected the configuration")
    started = time.perf_counter()
    diarizer = sherpa_onnx.OfflineSpeakerDiarization(config)
    load_seconds = time.perf_counter() - started
    results = []
    for path in args.files:
        samples = read_audio(path)
        wall = time.perf_counter()
        cpu = cpu_seconds()
        segments = diarizer.process(samples).sort_by_start_time()
        results.append({
            "file": path,
            "durationSeconds": len(samples) / 16000,
            "wallSeconds": time.perf_counter() - wall,
            "cpuSeconds": cpu_seconds() - cpu,
            "turns": [{"start": s.start, "end": s.end, "speaker": f"SPEAKER_{s.speaker:02d}"} for s in segments],
        })
    print(json.dumps({"sherpaOnnx": sherpa_onnx.__version__, "loadSeconds": load_seconds, "threads": args.threads, "results": results}))


if __name__ == "__main__":
    main()
