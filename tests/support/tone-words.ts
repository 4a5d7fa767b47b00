import { ok, type Result } from '../../src-shared/result';
import type { AsrErrorCode, RecognizedSegment, SpeechRecognizer, WindowTranscription } from '../../src-main/asr/types';

/**
 * "Speech" whose words a test can read back: word k is a 0.4 s sine burst at 300 + 40·(k mod 40) Hz,
 * followed by 0.13 s of silence (too short to be a pause). A recognizer double decodes the bursts it
 * sees, like a real ASR would hear words, so long-form stitching can be checked word by word.
 */
export const RATE = 16_000;
const WORD_SECONDS = 0.4;
const GAP_SECONDS = 0.13;
const FREQUENCIES = 40;

export function wordName(index: number): string {
  return `w${index}`;
}

export function toneSpeech(wordCount: number, firstWord = 0): Float32Array {
  const step = Math.round((WORD_SECONDS + GAP_SECONDS) * RATE);
  const out = new Float32Array(wordCount * step);
  for (let word = 0; word < wordCount; word += 1) {
    const frequency = 300 + 40 * ((firstWord + word) % FREQUENCIES);
    for (let n = 0; n < WORD_SECONDS * RATE; n += 1) out[word * step + n] = 0.5 * Math.sin((2 * Math.PI * frequency * n) / RATE);
  }
  return out;
}

export function concatAudio(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

interface HeardWord {
  start: number;
  end: number;
  frequencyIndex: number;
  truncated: boolean;
}

/** Finds bursts by energy and names each by its zero-crossing frequency. */
export function hearWords(audio: Float32Array): HeardWord[] {
  const words: HeardWord[] = [];
  let start = -1;
  const flush = (end: number): void => {
    const length = end - start;
    let crossings = 0;
    for (let n = start + 1; n < end; n += 1) if ((audio[n - 1] as number) < 0 !== (audio[n] as number) < 0) crossings += 1;
    const frequency = (crossings / 2) * (RATE / length);
    words.push({
      start: start / RATE,
      end: end / RATE,
      frequencyIndex: Math.round((frequency - 300) / 40),
      truncated: length < 0.39 * RATE,
    });
    start = -1;
  };
  for (let n = 0; n < audio.length; n += 1) {
    const loud = Math.abs(audio[n] as number) > 1e-3 || (n + 1 < audio.length && Math.abs(audio[n + 1] as number) > 1e-3);
    if (loud && start < 0) start = n;
    if (!loud && start >= 0) flush(n);
  }
  if (start >= 0) flush(audio.length);
  return words;
}

/**
 * Recognizer double: groups heard words into segments of five, and like Whisper leaves the last
 * segment open (end null) when it runs into the end of the window. A word cut by the window edge is
 * heard as garbage ("w?"), as a real model would mishear half a word.
 */
export class ToneWordRecognizer implements SpeechRecognizer {
  readonly modelId = 'tone-words';
  readonly execution = { requested: 'cpu' as const, active: 'cpu' as const, fallbackReason: null };
  readonly multilingual = true;
  windows: number[] = [];
  disposed = false;

  /** Word index of frequency index k, given the first word of the current block (tests use < 40 distinct tones). */
  constructor(private readonly nameOf: (frequencyIndex: number, startSeconds: number) => string) {}

  async detectLanguage(): Promise<Result<{ language: string; probability: number }, AsrErrorCode>> {
    return ok({ language: 'en', probability: 1 });
  }

  async transcribeWindow(audio: Float32Array): Promise<Result<WindowTranscription, AsrErrorCode>> {
    this.windows.push(audio.length / RATE);
    const words = hearWords(audio);
    const segments: RecognizedSegment[] = [];
    for (let first = 0; first < words.length; first += 5) {
      const group = words.slice(first, first + 5);
      const last = group.at(-1) as HeardWord;
      const open = last.end >= audio.length / RATE - 1e-6;
      segments.push({
        start: (group[0] as HeardWord).start,
        end: open ? null : last.end,
        text: group.map((word) => (word.truncated ? 'w?' : this.nameOf(word.frequencyIndex, word.start))).join(' '),
      });
    }
    return ok({ language: 'en', segments });
  }

  timings(): ReturnType<SpeechRecognizer['timings']> {
    return {};
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}
