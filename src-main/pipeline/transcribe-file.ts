import { basename } from 'node:path';
import { fail, ok, type CodedError, type Result } from '../../src-shared/result';
import type { AsrTask, Transcript, TranscriptSegment } from '../../src-shared/transcript';
import { ENGINE_SAMPLE_RATE, type AudioDecoder, type AudioProbeInfo } from '../audio/types';
import type { SpeechRecognizer } from '../asr/types';
import { SampleWindow } from './sample-window';
import { MAX_WINDOW_SECONDS, planNextWindow, resumePointAfter, type PlannedWindow, type SpeechSpan } from './window-planner';

export type TranscribeStage = 'vad' | 'transcribe' | 'done';

export interface TranscribeFileOptions {
  /** ISO 639-1 code, or null to detect it once from the first speech of the file. */
  language: string | null;
  task: AsrTask;
  signal?: AbortSignal;
  /** `segments`: the ones this window added (a preview; the result holds them all). */
  onProgress?: (stage: TranscribeStage, percent: number, segments?: TranscriptSegment[]) => void;
}

export interface TranscribeFileDeps {
  decoder: AudioDecoder;
  recognizer: SpeechRecognizer;
  /** Speech spans of the whole file (first pass, streamed: only the spans are kept). */
  findSpeech: (path: string, onProgress: (seconds: number) => void, signal?: AbortSignal) => Promise<Result<SpeechSpan[]>>;
}

/** Share of the progress bar given to the VAD pass; the rest goes to transcription. */
const VAD_SHARE = 15;
const CHUNK_SAMPLES = ENGINE_SAMPLE_RATE;

/** Whisper's timestamps have 20 ms resolution; keep seconds to whole milliseconds. */
function toMilliseconds(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

function cancelled(path: string): { ok: false; error: CodedError } {
  return fail('CANCELLED', `Transcription of ${path} was cancelled.`, path);
}

/**
 * Long-form transcription of one probed file with bounded memory: a VAD pass finds the speech, then a second
 * streamed decode feeds windows of at most 30 s cut at pauses to one warm recognizer.
 */
export async function transcribeFile(
  probe: AudioProbeInfo,
  deps: TranscribeFileDeps,
  options: TranscribeFileOptions,
): Promise<Result<Transcript>> {
  const report = options.onProgress ?? (() => undefined);
  const path = probe.path;
  const duration = probe.durationSeconds;
  const fraction = (seconds: number): number => (duration && duration > 0 ? Math.min(1, seconds / duration) : 0);

  const spans = await deps.findSpeech(path, (seconds) => report('vad', fraction(seconds) * VAD_SHARE), options.signal);
  if (!spans.ok) return spans;
  if (options.signal?.aborted) return cancelled(path);

  const segments: TranscriptSegment[] = [];
  let language = options.language;
  const window = new SampleWindow((MAX_WINDOW_SECONDS + 2) * ENGINE_SAMPLE_RATE);
  let planned: PlannedWindow | null = planNextWindow(spans.value, 0);
  let decodedSeconds = 0;

  const decoding = deps.decoder.decode(path, {
    chunkSamples: CHUNK_SAMPLES,
    audioStreamIndex: probe.audioStreamIndex,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const iterator = decoding[Symbol.asyncIterator]();
  let streamEnded = false;

  while (planned !== null) {
    const endSample = Math.round(planned.end * ENGINE_SAMPLE_RATE);
    while (!streamEnded && window.endSample < endSample) {
      const next = await iterator.next();
      if (next.done) {
        streamEnded = true;
        break;
      }
      if (!next.value.ok) return options.signal?.aborted ? cancelled(path) : next.value;
      window.append(next.value.value.samples);
      decodedSeconds = window.endSample / ENGINE_SAMPLE_RATE;
      window.dropBefore(Math.round(planned.start * ENGINE_SAMPLE_RATE));
    }
    if (options.signal?.aborted) return cancelled(path);
    const audio = window.slice(Math.round(planned.start * ENGINE_SAMPLE_RATE), endSample);
    if (audio.length === 0) break;

    if (language === null) {
      const detected = await deps.recognizer.detectLanguage(audio);
      if (!detected.ok) return detected;
      language = detected.value.language;
    }
    const recognized = await deps.recognizer.transcribeWindow(audio, { language, task: options.task });
    if (!recognized.ok) return { ok: false, error: { ...recognized.error, subject: path } };

    const windowSeconds = audio.length / ENGINE_SAMPLE_RATE;
    const { resumeAt, keep } = resumePointAfter(planned, recognized.value.segments);
    const added = segments.length;
    for (const segment of recognized.value.segments.slice(0, keep)) {
      const start = toMilliseconds(planned.start + Math.min(segment.start, windowSeconds));
      const end = toMilliseconds(planned.start + Math.min(segment.end ?? windowSeconds, windowSeconds));
      segments.push({ id: segments.length, start, end: Math.max(start, end), text: segment.text, speaker: null });
    }
    report('transcribe', VAD_SHARE + fraction(resumeAt) * (100 - VAD_SHARE), segments.slice(added));
    planned = planNextWindow(spans.value, resumeAt);
  }
  await iterator.return?.();

  report('done', 100);
  return ok({
    source: basename(path),
    language: language ?? 'en',
    modelId: deps.recognizer.modelId,
    task: options.task,
    duration: duration ?? decodedSeconds,
    segments,
  });
}
