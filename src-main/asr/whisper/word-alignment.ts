/**
 * Word timestamps as openai-whisper (timing.py) and faster-whisper compute them: the cross-attention of the
 * model's alignment heads over a forced pass of the window's text, normalised per frame, median-filtered
 * (width 7), averaged over heads, then aligned to the audio frames by dynamic time warping. Words are cut at
 * spaces (or at character boundaries for languages written without spaces) and punctuation joins its word.
 */
import type { WhisperVocabulary } from './vocabulary';

/** Encoder frames per second (Whisper's 20 ms tokens). */
const FRAMES_PER_SECOND = 50;
const UNSPACED_LANGUAGES = new Set(['zh', 'ja', 'th', 'lo', 'my', 'yue']);
export const PREPEND_PUNCTUATION = '"\'“¿([{-';
export const APPEND_PUNCTUATION = '"\'.。,，!！?？:：”)]}、';
const SENTENCE_END = '.。!！?？';
const ASCII_PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

export interface WordTokens {
  word: string;
  tokens: number[];
}

export interface WordTiming extends WordTokens {
  start: number;
  end: number;
  probability: number;
}

/** Splits tokens where their UTF-8 bytes complete a character (a token may end inside one). */
export function splitOnCharacters(tokens: readonly number[], vocabulary: WhisperVocabulary): WordTokens[] {
  const words: WordTokens[] = [];
  let current: number[] = [];
  for (const token of tokens) {
    current.push(token);
    if (token >= vocabulary.textTokenLimit) {
      words.push({ word: vocabulary.decode(current), tokens: current });
      current = [];
      continue;
    }
    const text = vocabulary.decode(current);
    if (!text.includes('\ufffd') || isWholeReplacement(vocabulary.bytesOf(current))) {
      words.push({ word: text, tokens: current });
      current = [];
    }
  }
  if (current.length > 0) words.push({ word: vocabulary.decode(current), tokens: current });
  return words;
}

/** True when the bytes are valid UTF-8 that itself encodes U+FFFD (the text really holds a replacement char). */
function isWholeReplacement(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** openai's split_to_word_tokens: spaces start words, except in languages written without them. */
export function splitWords(tokens: readonly number[], vocabulary: WhisperVocabulary, language: string): WordTokens[] {
  const pieces = splitOnCharacters(tokens, vocabulary);
  if (UNSPACED_LANGUAGES.has(language)) return pieces;
  const words: WordTokens[] = [];
  for (const piece of pieces) {
    const special = (piece.tokens[0] as number) >= vocabulary.textTokenLimit;
    const punctuation = piece.word.trim().length > 0 && [...piece.word.trim()].every((char) => ASCII_PUNCTUATION.includes(char));
    const last = words.at(-1);
    if (special || piece.word.startsWith(' ') || punctuation || last === undefined)
      words.push({ word: piece.word, tokens: [...piece.tokens] });
    else {
      last.word += piece.word;
      last.tokens.push(...piece.tokens);
    }
  }
  return words;
}

/** A column index mirrored back into [0, columns) at either edge (scipy's mode="reflect"). */
function reflectIndex(index: number, columns: number): number {
  return index < 0 ? -index : index >= columns ? 2 * (columns - 1) - index : index;
}

/** Median over a sliding window along the last axis, reflecting at the edges (scipy/openai median_filter). */
export function medianFilterRows(data: Float32Array, rows: number, columns: number, width: number): Float32Array {
  const pad = Math.floor(width / 2);
  if (width <= 1 || columns <= pad) return data.slice();
  if (width === 7) return medianFilterRowsOf7(data, rows, columns);
  const out = new Float32Array(rows * columns);
  // The window, kept sorted as it slides: each column swaps one value out and one in (this runs for every
  // token × frame × alignment head, and a fresh sort of each window took twice as long).
  const sorted = new Float32Array(width);
  const fill = (base: number, column: number): void => {
    for (let k = 0; k < width; k += 1) {
      const value = data[base + reflectIndex(column - pad + k, columns)] as number;
      let at = k;
      while (at > 0 && (sorted[at - 1] as number) > value) {
        sorted[at] = sorted[at - 1] as number;
        at -= 1;
      }
      sorted[at] = value;
    }
  };
  for (let row = 0; row < rows; row += 1) {
    const base = row * columns;
    fill(base, 0);
    out[base] = sorted[pad] as number;
    for (let column = 1; column < columns; column += 1) {
      const leaving = data[base + reflectIndex(column - 1 - pad, columns)] as number;
      const entering = data[base + reflectIndex(column + pad, columns)] as number;
      let at = sorted.indexOf(leaving);
      if (at < 0) fill(base, column);
      else if (entering > leaving) {
        while (at + 1 < width && (sorted[at + 1] as number) < entering) {
          sorted[at] = sorted[at + 1] as number;
          at += 1;
        }
        sorted[at] = entering;
      } else {
        while (at > 0 && (sorted[at - 1] as number) > entering) {
          sorted[at] = sorted[at - 1] as number;
          at -= 1;
        }
        sorted[at] = entering;
      }
      out[base + column] = sorted[pad] as number;
    }
  }
  return out;
}

/**
 * `medianFilterRows` at width 7 (openai's and faster-whisper's), by a selection network: the lowest and highest of
 * six values cannot be the median of seven, nor the lowest and highest of the four left beside the seventh, which
 * leaves the median of three. The same values as the sliding window in 8.1 → 5.9 ms per 100 × 1500 row block.
 */
function medianFilterRowsOf7(data: Float32Array, rows: number, columns: number): Float32Array {
  const out = new Float32Array(rows * columns);
  for (let row = 0; row < rows; row += 1) {
    const base = row * columns;
    for (let column = 0; column < columns; column += 1) {
      let a: number, b: number, c: number, d: number, e: number, f: number, g: number;
      if (column >= 3 && column + 3 < columns) {
        const from = base + column - 3;
        a = data[from] as number;
        b = data[from + 1] as number;
        c = data[from + 2] as number;
        d = data[from + 3] as number;
        e = data[from + 4] as number;
        f = data[from + 5] as number;
        g = data[from + 6] as number;
      } else {
        a = data[base + reflectIndex(column - 3, columns)] as number;
        b = data[base + reflectIndex(column - 2, columns)] as number;
        c = data[base + reflectIndex(column - 1, columns)] as number;
        d = data[base + column] as number;
        e = data[base + reflectIndex(column + 1, columns)] as number;
        f = data[base + reflectIndex(column + 2, columns)] as number;
        g = data[base + reflectIndex(column + 3, columns)] as number;
      }
      // Each pair's lower and higher as ternaries (destructuring swaps here ran ten times slower).
      const a1 = a < b ? a : b;
      const b1 = a < b ? b : a;
      const c1 = c < d ? c : d;
      const d1 = c < d ? d : c;
      const e1 = e < f ? e : f;
      const f1 = e < f ? f : e;
      const a2 = a1 < c1 ? a1 : c1;
      const c2 = a1 < c1 ? c1 : a1;
      const b2 = b1 < d1 ? b1 : d1;
      const d2 = b1 < d1 ? d1 : b1;
      // The lowest of a–f (min of a2, e1) and the highest (max of f1, d2) drop out: the median is that of the
      // other four and g.
      const e2 = a2 < e1 ? e1 : a2;
      const f2 = f1 < d2 ? f1 : d2;
      const b3 = b2 < c2 ? b2 : c2;
      const c3 = b2 < c2 ? c2 : b2;
      const e3 = e2 < f2 ? e2 : f2;
      const f3 = e2 < f2 ? f2 : e2;
      // The lowest and highest of those four drop out too: the median is that of the two left and g.
      const upperOfLow = b3 < e3 ? e3 : b3;
      const lowerOfHigh = c3 < f3 ? c3 : f3;
      const low = upperOfLow < lowerOfHigh ? upperOfLow : lowerOfHigh;
      const high = upperOfLow < lowerOfHigh ? lowerOfHigh : upperOfLow;
      out[base + column] = g < low ? low : g > high ? high : g;
    }
  }
  return out;
}

/** Dynamic time warping over a cost matrix [rows, columns]; the path as (row, column) pairs from the start. */
export function dynamicTimeWarp(cost: Float32Array, rows: number, columns: number): { rowIndices: number[]; columnIndices: number[] } {
  const width = columns + 1;
  const total = new Float64Array((rows + 1) * width).fill(Infinity);
  const trace = new Int8Array((rows + 1) * width).fill(-1);
  total[0] = 0;
  for (let j = 1; j <= columns; j += 1) {
    for (let i = 1; i <= rows; i += 1) {
      const diagonal = total[(i - 1) * width + j - 1] as number;
      const up = total[(i - 1) * width + j] as number;
      const left = total[i * width + j - 1] as number;
      let best: number;
      let step: number;
      if (diagonal < up && diagonal < left) [best, step] = [diagonal, 0];
      else if (up < diagonal && up < left) [best, step] = [up, 1];
      else [best, step] = [left, 2];
      total[i * width + j] = (cost[(i - 1) * columns + j - 1] as number) + best;
      trace[i * width + j] = step;
    }
  }
  for (let j = 0; j <= columns; j += 1) trace[j] = 2;
  for (let i = 0; i <= rows; i += 1) trace[i * width] = 1;
  const rowIndices: number[] = [];
  const columnIndices: number[] = [];
  let i = rows;
  let j = columns;
  while (i > 0 || j > 0) {
    rowIndices.push(i - 1);
    columnIndices.push(j - 1);
    const step = trace[i * width + j];
    if (step === 0) {
      i -= 1;
      j -= 1;
    } else if (step === 1) i -= 1;
    else j -= 1;
  }
  return { rowIndices: rowIndices.reverse(), columnIndices: columnIndices.reverse() };
}

export interface AlignmentInput {
  /** Per alignment head: cross-attention weights [tokens, frames] of the forced pass (softmax over all frames). */
  heads: Float32Array[];
  tokenCount: number;
  framesPerRow: number;
  /** Encoder frames that hold audio (the rest of the 30 s window is padding). */
  audioFrames: number;
  /** Rows before the <|notimestamps|> row (the start-of-transcript sequence). */
  prefixLength: number;
  textTokens: readonly number[];
  /** Probability of each text token at its position in the forced pass. */
  tokenProbabilities: readonly number[];
  medianFilterWidth: number;
}

/**
 * Each column of `data` [rows, columns] (one frame over every token) to zero mean and unit deviation, in place.
 * Row by row, so memory is read in order; each column's sums still add its rows in order, as a column loop would.
 */
function standardiseColumns(data: Float32Array, rows: number, columns: number): void {
  const mean = new Float64Array(columns);
  const variance = new Float64Array(columns);
  for (let t = 0; t < rows; t += 1) {
    for (let f = 0; f < columns; f += 1) mean[f] = (mean[f] as number) + (data[t * columns + f] as number);
  }
  for (let f = 0; f < columns; f += 1) mean[f] = (mean[f] as number) / rows;
  for (let t = 0; t < rows; t += 1) {
    for (let f = 0; f < columns; f += 1)
      variance[f] = (variance[f] as number) + ((data[t * columns + f] as number) - (mean[f] as number)) ** 2;
  }
  const deviation = variance.map((sum) => Math.sqrt(sum / rows) || 1);
  for (let t = 0; t < rows; t += 1) {
    for (let f = 0; f < columns; f += 1)
      data[t * columns + f] = ((data[t * columns + f] as number) - (mean[f] as number)) / (deviation[f] as number);
  }
}

/** openai's find_alignment: a time for each word of `textTokens`, in seconds from the window start. */
export function alignWords(input: AlignmentInput, vocabulary: WhisperVocabulary, language: string): WordTiming[] {
  const words = splitWords([...input.textTokens, vocabulary.special.eot], vocabulary, language);
  if (words.length <= 1) return [];
  const frames = Math.max(1, Math.min(input.framesPerRow, Math.floor(input.audioFrames)));
  const tokens = input.tokenCount;
  const matrix = new Float32Array(tokens * frames);
  for (const head of input.heads) {
    const weights = new Float32Array(tokens * frames);
    for (let t = 0; t < tokens; t += 1) {
      let sum = 0;
      for (let f = 0; f < frames; f += 1) sum += head[t * input.framesPerRow + f] as number;
      const scale = sum > 0 ? 1 / sum : 0;
      for (let f = 0; f < frames; f += 1) weights[t * frames + f] = (head[t * input.framesPerRow + f] as number) * scale;
    }
    standardiseColumns(weights, tokens, frames);
    const filtered = medianFilterRows(weights, tokens, frames, input.medianFilterWidth);
    for (let i = 0; i < matrix.length; i += 1) matrix[i] = (matrix[i] as number) + (filtered[i] as number) / input.heads.length;
  }
  // Rows from <|notimestamps|> to the last text token: row k predicts text token k.
  const firstRow = input.prefixLength;
  const rows = tokens - firstRow - 1;
  const cost = new Float32Array(rows * frames);
  for (let i = 0; i < cost.length; i += 1) cost[i] = -(matrix[firstRow * frames + i] as number);
  const path = dynamicTimeWarp(cost, rows, frames);
  const jumpTimes: number[] = [];
  path.rowIndices.forEach((row, index) => {
    if (index === 0 || row !== path.rowIndices[index - 1]) jumpTimes.push((path.columnIndices[index] as number) / FRAMES_PER_SECOND);
  });
  const timings: WordTiming[] = [];
  let boundary = 0;
  for (const word of words.slice(0, -1)) {
    const next = boundary + word.tokens.length;
    const probabilities = input.tokenProbabilities.slice(boundary, next);
    timings.push({
      ...word,
      start: jumpTimes[boundary] ?? 0,
      end: jumpTimes[next] ?? jumpTimes.at(-1) ?? 0,
      probability: probabilities.length > 0 ? probabilities.reduce((a, b) => a + b, 0) / probabilities.length : 0,
    });
    boundary = next;
  }
  return timings;
}

/** openai's merge_punctuations: opening marks join the next word, closing marks the previous one. */
export function mergePunctuations(alignment: WordTiming[], prepended = PREPEND_PUNCTUATION, appended = APPEND_PUNCTUATION): void {
  let i = alignment.length - 2;
  let j = alignment.length - 1;
  while (i >= 0) {
    const previous = alignment[i] as WordTiming;
    const following = alignment[j] as WordTiming;
    if (previous.word.startsWith(' ') && previous.word.trim().length > 0 && prepended.includes(previous.word.trim())) {
      following.word = previous.word + following.word;
      following.tokens = [...previous.tokens, ...following.tokens];
      previous.word = '';
      previous.tokens = [];
    } else j = i;
    i -= 1;
  }
  i = 0;
  j = 1;
  while (j < alignment.length) {
    const previous = alignment[i] as WordTiming;
    const following = alignment[j] as WordTiming;
    if (!previous.word.endsWith(' ') && following.word.length > 0 && appended.includes(following.word)) {
      previous.word += following.word;
      previous.tokens = [...previous.tokens, ...following.tokens];
      following.word = '';
      following.tokens = [];
    } else i = j;
    j += 1;
  }
}

export interface TimedSegment {
  start: number;
  end: number;
  /** Text tokens of the segment (no timestamps). */
  textTokens: number[];
  words?: { word: string; start: number; end: number; probability: number }[];
  /**
   * Where the alignment ends the last word (at most twice the median word long), before openai's guard pulls an
   * overlong last word back to `end`.
   */
  alignedEnd?: number;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * openai's add_word_timestamps over one window's segments (window-relative seconds, updated in place), with its
 * guards against overlong first and last words. Returns the end of the last word (the last speech heard).
 */
export function assignWordTimes(segments: TimedSegment[], alignment: WordTiming[], lastSpeechTimestamp: number): number {
  const durations = alignment.map((timing) => timing.end - timing.start).filter((duration) => duration !== 0);
  const medianDuration = Math.min(0.7, median(durations));
  const maxDuration = medianDuration * 2;
  if (durations.length > 0) {
    for (let i = 1; i < alignment.length; i += 1) {
      const timing = alignment[i] as WordTiming;
      if (timing.end - timing.start <= maxDuration) continue;
      if (SENTENCE_END.includes(timing.word) && timing.word.length > 0) timing.end = timing.start + maxDuration;
      else if (SENTENCE_END.includes((alignment[i - 1] as WordTiming).word) && (alignment[i - 1] as WordTiming).word.length > 0)
        timing.start = timing.end - maxDuration;
    }
  }
  mergePunctuations(alignment);
  let wordIndex = 0;
  let lastSpeech = lastSpeechTimestamp;
  for (const segment of segments) {
    let savedTokens = 0;
    const words: NonNullable<TimedSegment['words']> = [];
    while (wordIndex < alignment.length && savedTokens < segment.textTokens.length) {
      const timing = alignment[wordIndex] as WordTiming;
      if (timing.word)
        words.push({ word: timing.word, start: round2(timing.start), end: round2(timing.end), probability: timing.probability });
      savedTokens += timing.tokens.length;
      wordIndex += 1;
    }
    const first = words[0];
    const last = words.at(-1);
    if (first !== undefined && last !== undefined) {
      const second = words[1];
      if (
        first.end - lastSpeech > medianDuration * 4 &&
        (first.end - first.start > maxDuration || (second !== undefined && second.end - first.start > maxDuration * 2))
      ) {
        if (second !== undefined && second.end - second.start > maxDuration) {
          const boundary = Math.max(second.end / 2, second.end - maxDuration);
          first.end = boundary;
          second.start = boundary;
        }
        first.start = Math.max(0, first.end - maxDuration);
      }
      if (segment.start < first.end && segment.start - 0.5 > first.start)
        first.start = Math.max(0, Math.min(first.end - medianDuration, segment.start));
      else segment.start = first.start;
      // No longer than openai's longest plausible word: beyond that the alignment may be spreading the word over
      // speech the model never wrote.
      segment.alignedEnd = Math.min(last.end, round2(last.start + maxDuration));
      if (segment.end > last.start && segment.end + 0.5 < last.end) last.end = Math.max(last.start + medianDuration, segment.end);
      else segment.end = last.end;
      lastSpeech = segment.end;
    }
    segment.words = words;
  }
  return lastSpeech;
}
