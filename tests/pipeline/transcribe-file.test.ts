import { describe, expect, it } from 'vitest';
import { ok } from '../../src-shared/result';
import { MemoryAudioDecoder } from '../../src-main/audio/memory-decoder';
import type { AudioProbeInfo } from '../../src-main/audio/types';
import { transcribeFile } from '../../src-main/pipeline/transcribe-file';
import type { SpeechSpan } from '../../src-main/pipeline/window-planner';
import type { AsrErrorCode, LanguageCheckOptions, RecognizeOptions, WindowTranscription } from '../../src-main/asr/types';
import type { Result } from '../../src-shared/result';
import { concatAudio, hearWords, RATE, toneSpeech, ToneWordRecognizer } from '../support/tone-words';

/**
 * Passes over "foreign" words (tones 30 and up) as Whisper passes over speech in another language than the
 * window's: their segment vanishes, its neighbours stay. Heard only in a window that holds nothing else.
 */
class SkippingRecognizer extends ToneWordRecognizer {
  override async transcribeWindow(audio: Float32Array): Promise<Result<WindowTranscription, AsrErrorCode>> {
    const heard = await super.transcribeWindow(audio);
    if (!heard.ok) return heard;
    const isForeign = (text: string): boolean => text.split(' ').every((word) => Number(word.slice(1)) >= 30);
    if (heard.value.segments.every((segment) => isForeign(segment.text))) return heard;
    return ok({ ...heard.value, segments: heard.value.segments.filter((segment) => !isForeign(segment.text)) });
  }
}

/**
 * Passes over foreign words like SkippingRecognizer, and in a window longer than 10 s that starts with them it
 * also jumps past the first segment after them: as Whisper does, what it passes over depends on what else the
 * window holds, so a window limited to the speech before its first segment can pass over part of it again.
 */
class JumpingRecognizer extends SkippingRecognizer {
  override async transcribeWindow(audio: Float32Array): Promise<Result<WindowTranscription, AsrErrorCode>> {
    const heard = await super.transcribeWindow(audio);
    const startsForeign = (hearWords(audio)[0]?.frequencyIndex ?? 0) >= 30;
    if (!heard.ok || audio.length <= 10 * RATE || !startsForeign) return heard;
    return ok({ ...heard.value, segments: heard.value.segments.slice(1) });
  }
}

/** Passes over every segment of a window but its last one, however short the window: a model that never recovers. */
class LastSegmentRecognizer extends ToneWordRecognizer {
  override async transcribeWindow(audio: Float32Array): Promise<Result<WindowTranscription, AsrErrorCode>> {
    const heard = await super.transcribeWindow(audio);
    if (!heard.ok) return heard;
    return ok({ ...heard.value, segments: heard.value.segments.slice(-1) });
  }
}

/**
 * Hears any stretch alone (a fitted check) as Chinese while the whole window is likelier English, and decodes in
 * Chinese only a made-up line that fails every fallback: as whisper-base did with 2 s of English after Portuguese.
 */
class MisheardLanguageRecognizer extends ToneWordRecognizer {
  readonly decodedIn: (string | null)[] = [];

  override async detectLanguage(_audio?: Float32Array, options?: LanguageCheckOptions) {
    const alone = options?.context === 'fitted';
    const probabilities = new Map(
      alone
        ? [
            ['zh', 0.9],
            ['en', 0.05],
          ]
        : [
            ['en', 0.6],
            ['zh', 0.3],
          ],
    );
    return ok({ language: alone ? 'zh' : 'en', probability: alone ? 0.9 : 0.6, probabilities });
  }

  override async transcribeWindow(audio: Float32Array, options?: RecognizeOptions): Promise<Result<WindowTranscription, AsrErrorCode>> {
    const language = options?.language ?? null;
    this.decodedIn.push(language);
    const heard = await super.transcribeWindow(audio);
    if (!heard.ok) return heard;
    const quality = {
      avgLogprob: -0.3,
      compressionRatio: 1.2,
      noSpeechProb: 0.01,
      temperature: 0,
      attempts: 1,
      noSpeech: false,
      failed: false,
    };
    if (language !== 'zh') return ok({ ...heard.value, language: language ?? 'en', quality });
    const madeUp = [{ start: 0, end: audio.length / RATE, text: '字幕製作人' }];
    return ok({
      ...heard.value,
      language: 'zh',
      segments: madeUp,
      quality: { ...quality, avgLogprob: -1.1, temperature: 1, attempts: 6, failed: true },
    });
  }
}

/**
 * Hears 4 s of speech as two words whose segment closes at 3 s while the alignment hears the last word go on to
 * the end of the speech (as openai's guard pulls an overlong last word back to its segment's end); the rest of
 * the word, heard alone, yields nothing.
 */
class ClampedLastWordRecognizer extends ToneWordRecognizer {
  constructor(private readonly alignedEnd: number | null) {
    super(() => 'x');
  }

  override async transcribeWindow(audio: Float32Array): Promise<Result<WindowTranscription, AsrErrorCode>> {
    this.windows.push(audio.length / RATE);
    if (this.windows.length > 1) return ok({ language: 'en', segments: [] });
    const words = [
      { text: ' long', start: 0.5, end: 1.5 },
      { text: ' word', start: 1.5, end: 3 },
    ];
    const alignedEnd = this.alignedEnd === null ? {} : { alignedEnd: this.alignedEnd };
    return ok({ language: 'en', segments: [{ start: 0.5, end: 3, text: ' long word', words, ...alignedEnd }] });
  }
}

/** Speech spans straight from the signal (the VAD stage has its own tests). */
function spansOf(audio: Float32Array, minPauseSeconds = 0.3): SpeechSpan[] {
  const spans: SpeechSpan[] = [];
  let start = -1;
  let lastLoud = -1;
  for (let n = 0; n < audio.length; n += 1) {
    if (Math.abs(audio[n] as number) <= 1e-3) continue;
    if (start < 0) start = n;
    else if (n - lastLoud > minPauseSeconds * RATE) {
      spans.push({ start: start / RATE, end: (lastLoud + 1) / RATE });
      start = n;
    }
    lastLoud = n;
  }
  if (start >= 0) spans.push({ start: start / RATE, end: (lastLoud + 1) / RATE });
  return spans;
}

async function run(
  audio: Float32Array,
  nameOf: (frequencyIndex: number, start: number) => string,
  recognizer = new ToneWordRecognizer(nameOf),
) {
  const decoder = new MemoryAudioDecoder({ '/meeting.wav': audio });
  const probe = (await decoder.probe('/meeting.wav')) as { ok: true; value: AudioProbeInfo };
  const stages: string[] = [];
  const result = await transcribeFile(
    probe.value,
    { decoder, recognizer, findSpeech: async () => ok(spansOf(audio)) },
    { language: null, task: 'transcribe', onProgress: (stage) => stages.push(stage) },
  );
  if (!result.ok) throw new Error(result.error.message);
  return { transcript: result.value, recognizer, stages };
}

const words = (text: string): string[] => text.split(' ').filter(Boolean);

describe('transcribeFile long-form stitching', () => {
  it('transcribes a 102 s monologue with no pause: forced cuts lose and double no word', async () => {
    // 192 words × 0.53 s: 30 s cuts fall inside words.
    const audio = toneSpeech(192);
    const { transcript, recognizer } = await run(audio, (frequencyIndex) => `w${frequencyIndex}`);
    const heard = transcript.segments.flatMap((segment) => words(segment.text));
    const expected = Array.from({ length: 192 }, (_, word) => `w${word % 40}`);
    expect(heard).toEqual(expected);
    expect(Math.max(...recognizer.windows)).toBeLessThanOrEqual(30);
    expect(recognizer.windows.length).toBeGreaterThanOrEqual(4);
  });

  it('keeps absolute, ordered timestamps across windows cut at pauses', async () => {
    const pause = new Float32Array(2 * RATE);
    const audio = concatAudio(toneSpeech(30), pause, toneSpeech(30, 30), pause, toneSpeech(30, 60), pause);
    const { transcript, stages } = await run(audio, (frequencyIndex) => `w${frequencyIndex}`);
    const heard = transcript.segments.flatMap((segment) => words(segment.text));
    expect(heard).toHaveLength(90);
    expect(heard).not.toContain('w?');
    for (const [index, segment] of transcript.segments.entries()) {
      expect(segment.id).toBe(index);
      expect(segment.end).toBeGreaterThanOrEqual(segment.start);
      if (index > 0) expect(segment.start).toBeGreaterThanOrEqual((transcript.segments[index - 1] as { end: number }).end - 1e-6);
    }
    // The third block starts after two blocks of 15.9 s and two pauses of 2 s.
    const thirdBlock = transcript.segments.find((segment) => segment.start >= 33);
    expect(thirdBlock?.start).toBeCloseTo(35.8, 1);
    expect(transcript.duration).toBeCloseTo(audio.length / RATE, 3);
    expect(stages.at(-1)).toBe('done');
  });

  it('hears again the speech a window passed over, between its segments or before the first', async () => {
    // Ten words, five "foreign" ones, ten more: one 13 s window that holds all of them.
    const audio = concatAudio(toneSpeech(10), toneSpeech(5, 30), toneSpeech(10, 10));
    const { transcript, recognizer } = await run(
      audio,
      (frequencyIndex) => `w${frequencyIndex}`,
      new SkippingRecognizer((frequencyIndex) => `w${frequencyIndex}`),
    );
    const heard = transcript.segments.flatMap((segment) => words(segment.text));
    const expected = [
      ...Array.from({ length: 10 }, (_, word) => `w${word}`),
      'w30',
      'w31',
      'w32',
      'w33',
      'w34',
      ...Array.from({ length: 10 }, (_, word) => `w${word + 10}`),
    ];
    expect(heard).toEqual(expected);
    // The whole file, then from the passed-over words (passed over again, now at the window's start), those
    // words alone, and the rest.
    expect(recognizer.windows.map((seconds) => Math.round(seconds))).toEqual([13, 8, 3, 5]);
  });

  it('limits a window again when the limited window passes over part of the same speech', async () => {
    // Five foreign words, then 25 words: the whole window jumps past the foreign words and the five after them;
    // limited to those ten it still passes over the foreign five, which are then heard alone.
    const audio = concatAudio(toneSpeech(5, 30), toneSpeech(25));
    const { transcript, recognizer } = await run(
      audio,
      (frequencyIndex) => `w${frequencyIndex}`,
      new JumpingRecognizer((frequencyIndex) => `w${frequencyIndex}`),
    );
    const heard = transcript.segments.flatMap((segment) => words(segment.text));
    expect(heard).toEqual(['w30', 'w31', 'w32', 'w33', 'w34', ...Array.from({ length: 25 }, (_, word) => `w${word}`)]);
    expect(transcript.segments.some((segment) => segment.inaudible)).toBe(false);
    // The whole file (16 s), limited to the first 10 words, limited again to the foreign five, then the rest.
    expect(recognizer.windows.map((seconds) => Math.round(seconds))).toEqual([16, 5, 3, 13]);
  });

  it('limits a window at most three times in a row, then marks what is still passed over [inaudible]', async () => {
    const audio = concatAudio(toneSpeech(40), new Float32Array(RATE));
    const { transcript, recognizer } = await run(
      audio,
      (frequencyIndex) => `w${frequencyIndex}`,
      new LastSegmentRecognizer((frequencyIndex) => `w${frequencyIndex}`),
    );
    // The whole window, then three limits, each one segment shorter; the fourth result is kept.
    expect(recognizer.windows.slice(0, 4).map((seconds) => Math.round(seconds))).toEqual([22, 19, 16, 13]);
    expect(recognizer.windows.length).toBeLessThanOrEqual(12);
    const first = transcript.segments[0];
    expect(first).toMatchObject({ text: '[inaudible]', inaudible: true, start: 0 });
    // Every second of speech lies in a segment: heard, or marked.
    const speechSeconds = toneSpeech(40).length / RATE;
    let covered = 0;
    for (let at = 0.25; at < speechSeconds; at += 0.5)
      if (transcript.segments.some((segment) => segment.start <= at && at <= segment.end)) covered += 1;
    expect(covered).toBe(Math.ceil((speechSeconds - 0.25) / 0.5));
  });

  it('does not mark [inaudible] the rest of a last word its segment closed early, but speech after it', async () => {
    const tone = (seconds: number): Float32Array => Float32Array.from({ length: seconds * RATE }, (_, n) => 0.5 * Math.sin(n / 5));
    const audio = concatAudio(new Float32Array(RATE / 2), tone(4), new Float32Array(2 * RATE));
    const aligned = await run(audio, () => 'x', new ClampedLastWordRecognizer(4.5));
    // The rest of the word is heard again (the model may have stopped early) and, yielding nothing, left as it is.
    expect(aligned.recognizer.windows.map((seconds) => Math.round(seconds * 10) / 10)).toEqual([5, 2]);
    expect(aligned.transcript.segments.map((segment) => segment.text)).toEqual([' long word']);
    const marks = async (alignedEnd: number | null) => {
      const { transcript } = await run(audio, () => 'x', new ClampedLastWordRecognizer(alignedEnd));
      return transcript.segments.map((segment) => [segment.text, segment.start, segment.end]);
    };
    // Speech the alignment does not give the word is marked; without the alignment's end, all 1.5 s are.
    expect(await marks(3.25)).toEqual([
      [' long word', 0.5, 3],
      ['[inaudible]', 3.25, 4.5],
    ]);
    expect(await marks(null)).toEqual([
      [' long word', 0.5, 3],
      ['[inaudible]', 3, 4.5],
    ]);
  });

  it('skips silence entirely and returns an empty transcript for a silent file', async () => {
    const { transcript, recognizer } = await run(new Float32Array(60 * RATE), () => 'x');
    expect(transcript.segments).toEqual([]);
    expect(recognizer.windows).toEqual([]);
  });

  it('hears a window again in its own likeliest language when the language of a stretch heard alone fails every fallback', async () => {
    const recognizer = new MisheardLanguageRecognizer((frequencyIndex) => `w${frequencyIndex}`);
    const { transcript } = await run(toneSpeech(10), (frequencyIndex) => `w${frequencyIndex}`, recognizer);
    expect(recognizer.decodedIn).toEqual(['zh', 'en']);
    expect(transcript.segments.flatMap((segment) => words(segment.text))).toEqual(Array.from({ length: 10 }, (_, word) => `w${word}`));
    expect(transcript.segments.every((segment) => segment.language === 'en')).toBe(true);
  });
});
