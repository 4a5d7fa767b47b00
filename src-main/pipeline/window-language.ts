import { ok, type Result } from '../../src-shared/result';
import type { LanguageProbabilities, SpeechRecognizer } from '../asr/types';
import { ENGINE_SAMPLE_RATE } from '../audio/types';
import type { LanguageFollower } from './language-follower';
import type { SpeechTimeline } from './speech-timeline';

export interface WindowLanguage {
  language: string;
  /** Whole-window probabilities (for reports). */
  probabilities: LanguageProbabilities;
  /** Virtual sample where another language begins inside the window: the window should end there. */
  cutAt: number | null;
}

/** How sure a window must be of its language to be taken whole: a first one, or any without a screen. */
const CONFIDENT = 0.8;
/** Stretches of speech shorter than this say too little about their language (a name, "okay"). */
const MIN_STRETCH_SAMPLES = 2 * ENGINE_SAMPLE_RATE;
/** Stretches listened to one by one in an uncertain window, at most (each costs a short encoder pass). */
const MAX_STRETCHES = 6;
/** A stretch's language is heard from its start, at most this long (the window would be cut where it starts). */
const LANGUAGE_SAMPLE = 10 * ENGINE_SAMPLE_RATE;

/** The language with the highest probability (null for none). */
export function likeliestLanguage(probabilities: LanguageProbabilities): string | null {
  let best: [string, number] | null = null;
  for (const entry of probabilities) if (best === null || entry[1] > best[1]) best = entry;
  return best?.[0] ?? null;
}

function asMap(detected: { language: string; probability: number; probabilities?: LanguageProbabilities }): LanguageProbabilities {
  return detected.probabilities ?? new Map([[detected.language, detected.probability]]);
}

/**
 * The language of the window starting at `seek`: Whisper's detection over the whole window when it names the
 * language being followed and no stretch of speech screened from the window's encoding disagrees; otherwise (a
 * first window unsure of itself, one whose likeliest language is another, or one with a stretch that sounds like
 * another language) the speech stretches are heard one by one, the window takes the first one's language and
 * ends where a stretch in another language begins, so one window never mixes two languages (Whisper would
 * translate the second).
 */
export async function chooseWindowLanguage(
  recognizer: Pick<SpeechRecognizer, 'detectLanguage' | 'screenLanguages'>,
  follower: LanguageFollower,
  samples: Float32Array,
  seek: number,
  timeline: SpeechTimeline,
): Promise<Result<WindowLanguage>> {
  const whole = await recognizer.detectLanguage(samples);
  if (!whole.ok) return whole;
  const probabilities = asMap(whole.value);
  const current = follower.current;
  // Each speech stretch long enough to tell, as samples of this window, heard from its start.
  const heardParts = timeline
    .speechStretches(seek, seek + samples.length)
    .filter((stretch) => stretch.end - stretch.start >= MIN_STRETCH_SAMPLES)
    .map((stretch) => ({ start: stretch.start - seek, end: Math.min(stretch.end, stretch.start + LANGUAGE_SAMPLE) - seek }));
  // A window whose detection names the language being followed (a first window: sure of its own) keeps it unless
  // a stretch says otherwise. A short passage in another language barely moves a whole window's detection, so
  // each stretch is screened from the window's own encoding (a decoder step each; as often right as a stretch
  // heard alone), and only a disagreement is heard closer, below.
  const confident = whole.value.probability >= CONFIDENT;
  const namesFollowed = current === null ? confident : current === whole.value.language;
  // Without a screen, only a confident window is taken whole.
  if (namesFollowed && (confident || recognizer.screenLanguages !== undefined)) {
    const screened = await recognizer.screenLanguages?.(samples, heardParts);
    if (screened && !screened.ok) return screened;
    const otherInside = screened?.value.some((heard) => likeliestLanguage(heard) !== whole.value.language) ?? false;
    if (!otherInside) return ok({ language: follower.choose(probabilities), probabilities, cutAt: null });
  }
  let language: string | null = null;
  let cutAt: number | null = null;
  for (const part of heardParts.slice(0, MAX_STRETCHES)) {
    // A context fitted to the stretch: a fraction of a full encoder pass, and the window's own encoding stays
    // cached for its decode.
    const heard = await recognizer.detectLanguage(samples.subarray(part.start, part.end), { context: 'fitted' });
    if (!heard.ok) return heard;
    const chosen = follower.choose(asMap(heard.value));
    if (language === null) language = chosen;
    else if (chosen !== language) {
      cutAt = seek + part.start;
      // The window is decoded in `language`, which is followed until the next window hears this stretch again:
      // a window limited to its first speech and chosen anew must not find the language after the cut.
      follower.follow(language);
      break;
    }
  }
  // No stretch long enough to tell: keep the language being followed (a short tail or reply does not switch
  // it); a first window decides on the whole window's detection, the one the decoder reuses.
  if (language === null) return ok({ language: current ?? follower.choose(probabilities), probabilities, cutAt: null });
  return ok({ language, probabilities, cutAt });
}
