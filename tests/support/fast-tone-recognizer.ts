import { ok, type Result } from '../../src-shared/result';
import type { AsrErrorCode, RecognizedSegment, SpeechRecognizer, WindowTranscription } from '../../src-main/asr/types';
import { RATE } from './tone-words';

interface HeardWord {
  start: number;
  end: number;
  name: string;
}

const BLOCK = 16;
const LOUD = 1e-3;
/** Samples of a word whose zero crossings name its tone (0.1 s: ±5 Hz, the tones are 40 Hz apart). */
const PITCH_SAMPLES = 1600;
const FULL_WORD_SAMPLES = 0.39 * RATE;

/**
 * The tone-word recognizer (tests/support/tone-words.ts) for hours of audio: same words, same
 * five-word segments, same open last segment and "w?" for a word cut by the window edge, but it looks
 * at two samples per 16 to find the words (a tone of ≥ 300 Hz is never near zero at two consecutive
 * samples) and at 0.1 s of each word to name it. Word k is heard as `w<k>`.
 */
export class FastToneRecognizer implements SpeechRecognizer {
  readonly modelId = 'fast-tone-words';
  readonly execution = { requested: 'cpu' as const, active: 'cpu' as const, fallbackReason: null };
  readonly multilingual = true;
  calls = 0;
  heardSeconds = 0;

  async detectLanguage(): Promise<Result<{ language: string; probability: number }, AsrErrorCode>> {
    return ok({ language: 'en', probability: 1 });
  }

  async transcribeWindow(audio: Float32Array): Promise<Result<WindowTranscription, AsrErrorCode>> {
    this.calls += 1;
    this.heardSeconds += audio.length / RATE;
    const words = hearWordsQuickly(audio);
    const segments: RecognizedSegment[] = [];
    for (let first = 0; first < words.length; first += 5) {
      const group = words.slice(first, first + 5);
      const last = group.at(-1) as HeardWord;
      const open = last.end >= audio.length;
      segments.push({
        start: (group[0] as HeardWord).start / RATE,
        end: open ? null : last.end / RATE,
        text: group.map((word) => word.name).join(' '),
      });
    }
    return ok({ language: 'en', segments });
  }

  timings(): ReturnType<SpeechRecognizer['timings']> {
    return {};
  }

  async dispose(): Promise<void> {}
}

function hearWordsQuickly(audio: Float32Array): HeardWord[] {
  const words: HeardWord[] = [];
  let start = -1;
  const flush = (end: number): void => {
    words.push({
      start,
      end,
      name: end - start < FULL_WORD_SAMPLES ? 'w?' : `w${pitchIndex(audio, start, Math.min(end, start + PITCH_SAMPLES))}`,
    });
    start = -1;
  };
  for (let block = 0; block < audio.length; block += BLOCK) {
    const loud = Math.abs(audio[block] as number) > LOUD || Math.abs(audio[block + 1] ?? 0) > LOUD;
    if (loud && start < 0) start = block;
    if (!loud && start >= 0) flush(block);
  }
  if (start >= 0) flush(audio.length);
  return words;
}

function pitchIndex(audio: Float32Array, from: number, to: number): number {
  let crossings = 0;
  for (let n = from + 1; n < to; n += 1) if ((audio[n - 1] as number) < 0 !== (audio[n] as number) < 0) crossings += 1;
  const frequency = (crossings / 2) * (RATE / (to - from));
  return Math.round((frequency - 300) / 40);
}
