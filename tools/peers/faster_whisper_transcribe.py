"""faster-whisper on one file, as a user would run it: prints the segments (and words) as one JSON object.
Usage: python faster_whisper_transcribe.py <audio> --model <ct2 dir> [--beam-size 5] [--language xx] [--no-vad]
       [--word-timestamps] [--threads 2] [--multilingual]"""
import argparse
import json

from faster_whisper import WhisperModel

parser = argparse.ArgumentParser()
parser.add_argument("audio")
parser.add_argument("--model", required=True)
parser.add_argument("--beam-size", type=int, default=5)
parser.add_argument("--language", default=None)
parser.add_argument("--no-vad", action="store_true")
parser.add_argument("--word-timestamps", action="store_true")
parser.add_argument("--multilingual", action="store_true")
parser.add_argument("--threads", type=int, default=2)
args = parser.parse_args()

model = WhisperModel(args.model, device="cpu", compute_type="int8", cpu_threads=args.threads)
segments, info = model.transcribe(args.audio, beam_size=args.beam_size, language=args.language,
                                  vad_filter=not args.no_vad, word_timestamps=args.word_timestamps,
                                  multilingual=args.multilingual)
out = []
for segment in segments:
    entry = {"start": segment.start, "end": segment.end, "text": segment.text.strip(),
             "avgLogprob": segment.avg_logprob, "compressionRatio": segment.compression_ratio,
             "temperature": segment.temperature}
    if segment.words:
        entry["words"] = [{"start": w.start, "end": w.end, "text": w.word, "probability": w.probability} for w in segment.words]
    out.append(entry)
print(json.dumps({"language": info.language, "languageProbability": info.language_probability,
                  "duration": info.duration, "segments": out}, ensure_ascii=False))
