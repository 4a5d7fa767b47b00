/**
 * A window's sampled tokens → timed segments, with openai-whisper's rules for where the next window starts:
 * text between two timestamp tokens is a segment; an unfinished last segment (text after the last timestamp)
 * is dropped and the next window starts at that timestamp, so it is heard again whole.
 */
import type { WhisperVocabulary } from './vocabulary';

export interface TokenSegment {
  /** Seconds from the window start. */
  start: number;
  end: number;
  /** The segment's tokens, timestamps included. */
  tokens: number[];
  text: string;
}

export interface ParsedWindow {
  segments: TokenSegment[];
  /**
   * Seconds from the window start where the following audio has not been transcribed: the window's end when
   * the model closed its last segment (it heard nothing after it), else the last complete timestamp.
   */
  resumeAt: number;
  /** The model ended on a lone timestamp: it says nothing was spoken after it. */
  closed: boolean;
}

/** `tokens` are the sampled tokens without <|endoftext|>; `windowSeconds` the audio the window held. */
export function segmentsFromTokens(tokens: readonly number[], vocabulary: WhisperVocabulary, windowSeconds: number): ParsedWindow {
  const isTimestamp = (token: number | undefined): boolean => token !== undefined && vocabulary.isTimestamp(token);
  const closed =
    tokens.length >= 2 ? !isTimestamp(tokens.at(-2)) && isTimestamp(tokens.at(-1)) : tokens.length === 1 && isTimestamp(tokens[0]);
  const slices: number[] = [];
  for (let i = 1; i < tokens.length; i += 1) if (isTimestamp(tokens[i - 1]) && isTimestamp(tokens[i])) slices.push(i);
  const segment = (part: number[], start: number, end: number): TokenSegment => ({
    start,
    end: Math.max(start, end),
    tokens: part,
    text: vocabulary.decode(part).trim(),
  });

  if (slices.length === 0) {
    // No closed pair: one segment for the whole window, ended by its last timestamp if it has one.
    const stamps = tokens.filter((token) => isTimestamp(token));
    const last = stamps.at(-1);
    const end = last !== undefined && last !== vocabulary.special.timestampBegin ? vocabulary.timestampSeconds(last) : windowSeconds;
    const only = segment([...tokens], 0, Math.min(end, windowSeconds));
    return { segments: only.text === '' ? [] : [only], resumeAt: windowSeconds, closed: true };
  }
  if (closed) slices.push(tokens.length);
  const segments: TokenSegment[] = [];
  let from = 0;
  for (const to of slices) {
    const part = tokens.slice(from, to);
    const start = vocabulary.timestampSeconds(part[0] as number);
    const end = vocabulary.timestampSeconds(part.at(-1) as number);
    const made = segment(part, Math.min(start, windowSeconds), Math.min(end, windowSeconds));
    if (made.text !== '') segments.push(made);
    from = to;
  }
  const resumeAt = closed ? windowSeconds : Math.min(windowSeconds, vocabulary.timestampSeconds(tokens[from - 1] as number));
  return { segments, resumeAt, closed };
}
