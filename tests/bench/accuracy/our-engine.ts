/** Runs this engine (transcribeFile with one warm recognizer) on one file and keeps what the bench scores. */
import type { FfmpegAudioDecoder } from '../../../src-main/audio/decoder';
import type { SpeechRecognizer } from '../../../src-main/asr/types';
import type { SpeechFinder } from '../../../src-main/pipeline/find-speech';
import { transcribeFile, type WindowReport } from '../../../src-main/pipeline/transcribe-file';

export interface EngineWord {
  text: string;
  start: number;
  end: number;
}

export interface EngineSegment {
  start: number;
  end: number;
  text: string;
  language?: string | undefined;
  inaudible?: boolean | undefined;
  words: EngineWord[];
  /** faster-whisper's segments carry their window's decode (ours report windows instead). */
  quality?: { temperature: number; compressionRatio: number };
}

/** One file through one engine: the same shape for this engine and for faster-whisper. */
export type EngineRun =
  | { ok: true; wallSeconds: number; language: string | null; segments: EngineSegment[]; windows: WindowReport[] }
  | { ok: false; error: string };

export interface OurEngine {
  decoder: FfmpegAudioDecoder;
  recognizer: SpeechRecognizer;
  speech: SpeechFinder;
}

export async function runOurs(engine: OurEngine, file: string, language: string | null, beamSize: number): Promise<EngineRun> {
  try {
    const probe = await engine.decoder.probe(file);
    if (!probe.ok) return { ok: false, error: `${probe.error.code}: ${probe.error.message}` };
    const windows: WindowReport[] = [];
    const started = performance.now();
    const result = await transcribeFile(
      probe.value,
      { decoder: engine.decoder, recognizer: engine.recognizer, findSpeech: engine.speech.findSpeech },
      { language, task: 'transcribe', decoding: { beamSize }, onWindow: (report) => windows.push(report) },
    );
    const wallSeconds = (performance.now() - started) / 1000;
    if (!result.ok) return { ok: false, error: `${result.error.code}: ${result.error.message}` };
    const segments = result.value.segments.map((segment) => ({
      start: segment.start,
      end: segment.end,
      text: segment.text,
      language: segment.language || undefined,
      inaudible: segment.inaudible ? true : undefined,
      words: (segment.words ?? []).map((word) => ({ text: word.text, start: word.start, end: word.end })),
    }));
    return { ok: true, wallSeconds, language: result.value.language, segments, windows };
  } catch (error) {
    return { ok: false, error: `threw: ${(error as Error).message}` };
  }
}

/** The transcript's text (what the scorer reads): every segment but the [inaudible] markers. */
export function transcriptText(segments: readonly EngineSegment[]): string {
  return segments
    .filter((segment) => !segment.inaudible)
    .map((segment) => segment.text.trim())
    .filter(Boolean)
    .join(' ');
}
