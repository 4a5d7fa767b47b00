import { describe, expect, it } from 'vitest';
import { ok } from '../../src-shared/result';
import type { AudioContext, LanguageCheckOptions, SpeechRecognizer } from '../../src-main/asr/types';
import { LanguageFollower } from '../../src-main/pipeline/language-follower';
import { SpeechTimeline } from '../../src-main/pipeline/speech-timeline';
import { chooseWindowLanguage } from '../../src-main/pipeline/window-language';

const SR = 16_000;

/** A detector that hears `language` with `probability` in any audio, and records each call's length and context. */
function detector(
  language: string,
  probability: number,
): Pick<SpeechRecognizer, 'detectLanguage'> & { calls: number; heard: { seconds: number; context: AudioContext }[] } {
  const stub = {
    calls: 0,
    heard: [] as { seconds: number; context: AudioContext }[],
    detectLanguage: (audio: Float32Array, options?: LanguageCheckOptions) => {
      stub.calls += 1;
      stub.heard.push({ seconds: audio.length / SR, context: options?.context ?? 'full' });
      const probabilities = new Map([
        [language, probability],
        ['es', audio.length > 0 ? 1 - probability : 0],
      ]);
      return Promise.resolve(ok({ language, probability, probabilities }));
    },
  };
  return stub;
}

function windowOf(spans: { start: number; end: number }[], seconds: number): { samples: Float32Array; timeline: SpeechTimeline } {
  return { samples: new Float32Array(seconds * SR), timeline: SpeechTimeline.fromSpans(spans, seconds, 0) };
}

describe('chooseWindowLanguage', () => {
  it('keeps the language being followed when no stretch of speech is long enough to tell (a 1.3 s tail)', async () => {
    const follower = new LanguageFollower();
    follower.choose(new Map([['es', 0.9]]));
    const { samples, timeline } = windowOf([{ start: 0.1, end: 1.4 }], 1.5);
    const chosen = await chooseWindowLanguage(detector('en', 0.79), follower, samples, 0, timeline);
    expect(chosen.ok && chosen.value.language).toBe('es');
    expect(follower.current).toBe('es');
  });

  it('switches when a stretch of at least 2 s is clearly another language', async () => {
    const follower = new LanguageFollower();
    follower.choose(new Map([['es', 0.9]]));
    const { samples, timeline } = windowOf([{ start: 0.5, end: 4 }], 5);
    const heard = detector('en', 0.79);
    const chosen = await chooseWindowLanguage(heard, follower, samples, 0, timeline);
    expect(chosen.ok && chosen.value.language).toBe('en');
    // The whole window in the full context (its encoding is the decode's); the stretch in a fitted one.
    expect(heard.heard).toEqual([
      { seconds: 5, context: 'full' },
      { seconds: 3.5, context: 'fitted' },
    ]);
  });

  it('follows the language of the window it cuts, not the one heard after the cut', async () => {
    const follower = new LanguageFollower();
    follower.choose(new Map([['es', 0.9]]));
    const { samples, timeline } = windowOf(
      [
        { start: 1, end: 6 },
        { start: 9, end: 14 },
      ],
      20,
    );
    // The whole window, then each stretch heard alone: English, then Chinese.
    const answers = ['ko', 'en', 'zh'];
    const recognizer: Pick<SpeechRecognizer, 'detectLanguage'> = {
      detectLanguage: () => {
        const language = answers.shift() ?? 'en';
        return Promise.resolve(ok({ language, probability: 0.99, probabilities: new Map([[language, 0.99]]) }));
      },
    };
    const chosen = await chooseWindowLanguage(recognizer, follower, samples, 0, timeline);
    const chineseStart = timeline.speechStretches(0, samples.length)[1]?.start;
    expect(chosen.ok && chosen.value).toMatchObject({ language: 'en', cutAt: chineseStart });
    expect(follower.current).toBe('en');
    // The window limited to its first second (speech too short to tell) and chosen again keeps its language.
    answers.push('ko');
    const { samples: limited, timeline: shortTimeline } = windowOf([{ start: 0, end: 1 }], 1);
    const again = await chooseWindowLanguage(recognizer, follower, limited, 0, shortTimeline);
    expect(again.ok && again.value.language).toBe('en');
  });

  it('hears a long stretch’s language from its first 10 s', async () => {
    const follower = new LanguageFollower();
    follower.choose(new Map([['es', 0.9]]));
    const { samples, timeline } = windowOf([{ start: 1, end: 26 }], 30);
    const heard = detector('en', 0.79);
    await chooseWindowLanguage(heard, follower, samples, 0, timeline);
    expect(heard.heard[1]).toEqual({ seconds: 10, context: 'fitted' });
  });

  it('lets a first window with only short speech decide on the whole window', async () => {
    const follower = new LanguageFollower();
    const { samples, timeline } = windowOf([{ start: 0.1, end: 1.4 }], 1.5);
    const chosen = await chooseWindowLanguage(detector('en', 0.6), follower, samples, 0, timeline);
    expect(chosen.ok && chosen.value.language).toBe('en');
    expect(follower.current).toBe('en');
  });

  it('screens each stretch of a confident window from its encoding and hears closer only when one disagrees', async () => {
    const windowWith = (screenedAs: string[]) => {
      const heard = detector('en', 0.95);
      const screens: { start: number; end: number }[][] = [];
      const recognizer = {
        ...heard,
        detectLanguage: heard.detectLanguage,
        screenLanguages: (_audio: Float32Array, stretches: readonly { start: number; end: number }[]) => {
          screens.push([...stretches]);
          return Promise.resolve(ok(stretches.map((_, index) => new Map([[screenedAs[index] ?? 'en', 0.6]]))));
        },
      };
      return { heard, screens, recognizer };
    };
    const spans = [
      { start: 0.5, end: 8 },
      { start: 9, end: 10 },
      { start: 12, end: 28 },
    ];
    const agreeing = windowWith(['en', 'en']);
    const { samples, timeline } = windowOf(spans, 30);
    const kept = await chooseWindowLanguage(agreeing.recognizer, new LanguageFollower(), samples, 0, timeline);
    expect(kept.ok && kept.value).toMatchObject({ language: 'en', cutAt: null });
    // Stretches of 2 s or more (the window's timeline closes the silences), each from its first 10 s, in
    // samples of the window; no closer listening.
    expect(agreeing.screens).toEqual([
      [
        { start: 0, end: 7.5 * SR },
        { start: 8.5 * SR, end: 18.5 * SR },
      ],
    ]);
    expect(agreeing.heard.heard).toEqual([{ seconds: 30, context: 'full' }]);

    const disagreeing = windowWith(['en', 'fr']);
    await chooseWindowLanguage(disagreeing.recognizer, new LanguageFollower(), samples, 0, timeline);
    expect(disagreeing.heard.heard).toEqual([
      { seconds: 30, context: 'full' },
      { seconds: 7.5, context: 'fitted' },
      { seconds: 10, context: 'fitted' },
    ]);
  });

  it('screens a window unsure of the language being followed too, and hears closer only when a stretch disagrees', async () => {
    const screenedWindow = async (screenedAs: string): Promise<{ seconds: number; context: AudioContext }[]> => {
      const follower = new LanguageFollower();
      follower.choose(new Map([['en', 0.9]]));
      const heard = detector('en', 0.55);
      const recognizer = {
        ...heard,
        detectLanguage: heard.detectLanguage,
        screenLanguages: (_audio: Float32Array, stretches: readonly { start: number; end: number }[]) =>
          Promise.resolve(ok(stretches.map(() => new Map([[screenedAs, 0.7]])))),
      };
      const { samples, timeline } = windowOf([{ start: 0.5, end: 6 }], 30);
      const chosen = await chooseWindowLanguage(recognizer, follower, samples, 0, timeline);
      expect(chosen.ok && chosen.value.language).toBe('en');
      return heard.heard;
    };
    expect(await screenedWindow('en')).toEqual([{ seconds: 30, context: 'full' }]);
    expect(await screenedWindow('de')).toEqual([
      { seconds: 30, context: 'full' },
      { seconds: 5.5, context: 'fitted' },
    ]);
  });

  it('hears an unsure window’s stretches alone when the recognizer cannot screen them', async () => {
    const follower = new LanguageFollower();
    follower.choose(new Map([['en', 0.9]]));
    const unscreened = detector('en', 0.55);
    const { samples, timeline } = windowOf([{ start: 0.5, end: 6 }], 30);
    await chooseWindowLanguage(unscreened, follower, samples, 0, timeline);
    expect(unscreened.heard).toEqual([
      { seconds: 30, context: 'full' },
      { seconds: 5.5, context: 'fitted' },
    ]);
  });
});
