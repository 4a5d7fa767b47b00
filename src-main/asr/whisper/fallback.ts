/**
 * Temperature fallback as openai-whisper and faster-whisper do it: decode at temperature 0 (beam search); if the
 * text repeats itself (gzip compression ratio above 2.4) or the model is unsure (average log-probability below
 * -1), decode again, sampling at 0.2, 0.4 … 1.0 (best of 5); keep the first result that passes, else the most
 * likely one among those that do not repeat. A window the model hears as no speech is not retried.
 */
import { deflate } from 'pako';
import { passPrompt, searchTokens, type SearchContext, type SearchResult } from './token-search';

export interface FallbackOptions {
  temperatures: readonly number[];
  beamSize: number;
  bestOf: number;
  maxTokens: number;
  compressionRatioThreshold: number | null;
  logProbThreshold: number | null;
  noSpeechThreshold: number | null;
  /** Seeds the sampler, so a window decodes the same way every time. */
  seed: number;
  signal?: AbortSignal | undefined;
}

export interface DecodedWindow {
  tokens: number[];
  text: string;
  avgLogprob: number;
  compressionRatio: number;
  noSpeechProb: number | null;
  temperature: number;
  /** Decodes run for this window (1 when temperature 0 passed). */
  attempts: number;
  /** The no-speech rule held: Whisper hears no speech and is unsure of what it decoded. */
  noSpeech: boolean;
  /** Every temperature failed the checks; the result is the least bad. */
  failed: boolean;
  cancelled: boolean;
}

export const DEFAULT_TEMPERATURES = [0, 0.2, 0.4, 0.6, 0.8, 1] as const;

/**
 * len(utf8) / len(zlib.compress(utf8)), as openai-whisper and faster-whisper compute it. pako 2 reproduces zlib's
 * output byte for byte; Node's own zlib (Chromium's fork) compresses loops harder, which would move the 2.4 line.
 */
export function compressionRatio(text: string): number {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length === 0) return 0;
  return bytes.length / deflate(bytes).length;
}

/** mulberry32: a small seeded generator, enough for sampling tokens reproducibly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function decodeWithFallback(
  context: SearchContext,
  decodeText: (tokens: readonly number[]) => string,
  isTimestamp: (token: number) => boolean,
  options: FallbackOptions,
): Promise<DecodedWindow> {
  const random = seededRandom(options.seed);
  const promptPass = await passPrompt(context);
  const all: DecodedWindow[] = [];
  const notRepetitive: DecodedWindow[] = [];
  for (const temperature of options.temperatures) {
    const outcome = await searchTokens(context, promptPass, {
      temperature,
      beamSize: options.beamSize,
      bestOf: options.bestOf,
      maxTokens: options.maxTokens,
      random,
      signal: options.signal,
    });
    const result = describe(outcome.best, decodeText, temperature, outcome.noSpeechProb, all.length + 1, outcome.cancelled);
    if (outcome.cancelled) return result;
    all.push(result);
    let needsFallback = false;
    if (options.compressionRatioThreshold !== null && result.compressionRatio > options.compressionRatioThreshold) needsFallback = true;
    else notRepetitive.push(result);
    if (options.logProbThreshold !== null && result.avgLogprob < options.logProbThreshold) needsFallback = true;
    // Heard as silence: no point in sampling it again.
    if (isNoSpeech(result, options)) return { ...result, noSpeech: true };
    if (!needsFallback) return result;
  }
  const pool = notRepetitive.length > 0 ? notRepetitive : all;
  const best = pool.reduce((a, b) => (b.avgLogprob > a.avgLogprob ? b : a));
  // The last temperature tried decides whether the prompt is reset (faster-whisper keeps it so too).
  let chosen = { ...best, temperature: options.temperatures.at(-1) ?? best.temperature, attempts: all.length, failed: true };
  if (options.compressionRatioThreshold !== null && chosen.compressionRatio > options.compressionRatioThreshold) {
    chosen = { ...chosen, ...trimRepetition(chosen.tokens, decodeText, options.compressionRatioThreshold, isTimestamp) };
  }
  return { ...chosen, noSpeech: isNoSpeech(chosen, options) };
}

/**
 * Every temperature looped: keep the text up to where the loop sets in (the longest prefix whose compression
 * ratio passes, cut back to its last timestamp when it has one after the first, so segments stay whole and the
 * window resumes there), so no window's text repeats itself.
 */
export function trimRepetition(
  tokens: readonly number[],
  decodeText: (tokens: readonly number[]) => string,
  threshold: number,
  isTimestamp: (token: number) => boolean,
): { tokens: number[]; text: string; compressionRatio: number } {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (compressionRatio(decodeText(tokens.slice(0, middle)).trim()) <= threshold) low = middle;
    else high = middle - 1;
  }
  let end = low;
  while (end > 1 && !isTimestamp(tokens[end - 1] as number)) end -= 1;
  const kept = tokens.slice(0, end > 1 ? end : low);
  const text = decodeText(kept).trim();
  return { tokens: kept, text, compressionRatio: compressionRatio(text) };
}

/** openai's skip rule: likely no speech, unless the text itself is likely enough. */
function isNoSpeech(result: DecodedWindow, options: FallbackOptions): boolean {
  if (options.noSpeechThreshold === null || (result.noSpeechProb ?? 0) <= options.noSpeechThreshold) return false;
  return !(options.logProbThreshold !== null && result.avgLogprob > options.logProbThreshold);
}

function describe(
  best: SearchResult,
  decodeText: (tokens: readonly number[]) => string,
  temperature: number,
  noSpeechProb: number | null,
  attempts: number,
  cancelled: boolean,
): DecodedWindow {
  const text = decodeText(best.tokens).trim();
  return {
    tokens: best.tokens,
    text,
    avgLogprob: best.sumLogprob / (best.tokens.length + 1),
    compressionRatio: compressionRatio(text),
    noSpeechProb,
    temperature,
    attempts,
    noSpeech: false,
    failed: false,
    cancelled,
  };
}
