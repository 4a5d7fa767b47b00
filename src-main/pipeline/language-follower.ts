import type { LanguageProbabilities } from '../asr/types';

/**
 * Follows the spoken language window by window, with hysteresis: the first window sets it; a later window
 * switches it only when it is clearly another language (its likeliest language is at least
 * `switchProbability` likely and at least `ratio` times likelier than the current one), so one uncertain
 * window (an accent, a name, a short reply) does not flip a meeting's language.
 */
export class LanguageFollower {
  private language: string | null = null;

  constructor(
    private readonly switchProbability = 0.5,
    private readonly ratio = 2,
  ) {}

  get current(): string | null {
    return this.language;
  }

  choose(probabilities: LanguageProbabilities): string {
    let top = 'en';
    let topProbability = -1;
    for (const [code, probability] of probabilities) {
      if (probability > topProbability) [top, topProbability] = [code, probability];
    }
    if (this.language === null || this.language === top) {
      this.language = top;
      return top;
    }
    const currentProbability = probabilities.get(this.language) ?? 0;
    if (topProbability >= this.switchProbability && topProbability >= this.ratio * currentProbability) this.language = top;
    return this.language;
  }

  /** Follows `language` from here on: the decoder heard the last window better in it than in the one chosen. */
  follow(language: string): void {
    this.language = language;
  }
}
