import { Tokenizer } from '@huggingface/tokenizers';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assignWordTimes,
  dynamicTimeWarp,
  medianFilterRows,
  mergePunctuations,
  splitWords,
  type TimedSegment,
  type WordTiming,
} from '../../../src-main/asr/whisper/word-alignment';
import { WhisperVocabulary } from '../../../src-main/asr/whisper/vocabulary';
import { TINY_MULTILINGUAL } from '../../support/paths';

const tokenizer = JSON.parse(readFileSync(path.join(TINY_MULTILINGUAL, 'tokenizer.json'), 'utf8')) as ConstructorParameters<
  typeof WhisperVocabulary
>[0];
const vocabulary = new WhisperVocabulary(tokenizer, 51865);
const idOf = (text: string): number => {
  const id = tokenizer.model.vocab[text];
  if (id === undefined) throw new Error(`no token ${text}`);
  return id;
};

describe('word timestamps (openai timing.py)', () => {
  it('time-warps along the cheapest path, one step at a time', () => {
    // Rows = tokens, columns = frames; token 0 is cheap in frames 0–1, token 1 in frames 2–4.
    const cost = Float32Array.from([0, 0, 5, 5, 5, 5, 5, 0, 0, 0]);
    const path = dynamicTimeWarp(cost, 2, 5);
    expect(path.rowIndices).toEqual([0, 0, 1, 1, 1]);
    expect(path.columnIndices).toEqual([0, 1, 2, 3, 4]);
  });

  it('median-filters each row with reflected edges (scipy mode="reflect" as openai pads)', () => {
    const filtered = medianFilterRows(Float32Array.from([1, 9, 2, 8, 3, 7, 4]), 1, 7, 3);
    expect([...filtered]).toEqual([9, 2, 8, 3, 7, 4, 7]);
  });

  it('slides its median window (the width-7 network too) to the same values as sorting every window afresh (ties, short rows, widths 3 to 7)', () => {
    let seed = 5;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (const [rows, columns, width, levels] of [
      [3, 10, 7, 0],
      [20, 300, 7, 0],
      [5, 50, 7, 4],
      [4, 8, 7, 3],
      [3, 4, 7, 2],
      [2, 5, 7, 3],
      [6, 7, 7, 5],
      [2, 4, 3, 2],
      [10, 90, 5, 0],
    ] as const) {
      const data = Float32Array.from({ length: rows * columns }, () => (levels ? Math.floor(random() * levels) : random() - 0.5));
      const pad = Math.floor(width / 2);
      const reflect = (index: number): number => (index < 0 ? -index : index >= columns ? 2 * (columns - 1) - index : index);
      const expected = Array.from({ length: rows * columns }, (_, at) => {
        const [row, column] = [Math.floor(at / columns), at % columns];
        const window = Array.from({ length: width }, (__, k) => data[row * columns + reflect(column - pad + k)] as number);
        return window.sort((a, b) => a - b)[pad];
      });
      expect([...medianFilterRows(data, rows, columns, width)]).toEqual(expected);
    }
  });

  it('cuts words at spaces and keeps punctuation apart, then merges it into its word', () => {
    const tokens = [idOf('ĠHello'), idOf(','), idOf('Ġworld'), idOf('.')];
    const words = splitWords(tokens, vocabulary, 'en').map((word) => word.word);
    expect(words).toEqual([' Hello', ',', ' world', '.']);
    const timings: WordTiming[] = splitWords(tokens, vocabulary, 'en').map((word, index) => ({
      ...word,
      start: index,
      end: index + 1,
      probability: 1,
    }));
    mergePunctuations(timings);
    expect(timings.map((timing) => timing.word)).toEqual([' Hello,', '', ' world.', '']);
    expect(timings[0]?.end).toBe(1);
  });

  it('splits languages written without spaces at characters, never inside one (a character may span tokens)', () => {
    const tokens = new Tokenizer(tokenizer, {}).encode('讨论好吗', { add_special_tokens: false }).ids;
    const pieces = tokens.map((token) => vocabulary.decode([token]));
    expect(pieces.some((piece) => piece.includes('\ufffd'))).toBe(true);
    expect(splitWords(tokens, vocabulary, 'zh').map((word) => word.word)).toEqual(['讨', '论', '好', '吗']);
    expect(splitWords(tokens, vocabulary, 'zh').flatMap((word) => word.tokens)).toEqual(tokens);
  });

  it('trusts the segment start over a first word stretched into the silence before it', () => {
    const alignment: WordTiming[] = [
      { word: ' So', tokens: [1], start: 0, end: 2.0, probability: 1 },
      { word: ' we', tokens: [2], start: 2.0, end: 2.3, probability: 1 },
      { word: ' go', tokens: [3], start: 2.3, end: 2.6, probability: 1 },
    ];
    const segments: TimedSegment[] = [{ start: 1.6, end: 2.6, textTokens: [1, 2, 3] }];
    assignWordTimes(segments, alignment, 0);
    const words = segments[0]?.words ?? [];
    expect(words.map((word) => word.word)).toEqual([' So', ' we', ' go']);
    // The median word lasts 0.3 s: the first word is cut back to at most twice that.
    expect(words[0]?.start).toBeCloseTo(1.4, 6);
    expect(segments[0]?.start).toBe(words[0]?.start);
  });

  it('pulls an overlong last word back to its segment end, keeping where the alignment ended it (at most twice the median word)', () => {
    const alignment = (lastEnd: number): WordTiming[] => [
      { word: ' very', tokens: [1], start: 0.2, end: 0.6, probability: 1 },
      { word: ' little', tokens: [2], start: 0.6, end: 1.2, probability: 1 },
      { word: ' assistance.', tokens: [3, 4], start: 1.2, end: lastEnd, probability: 1 },
    ];
    const timed = (lastEnd: number): TimedSegment => {
      const segments: TimedSegment[] = [{ start: 0.2, end: 1.4, textTokens: [1, 2, 3, 4] }];
      assignWordTimes(segments, alignment(lastEnd), 0);
      return segments[0] as TimedSegment;
    };
    const clamped = timed(1.95);
    // openai's guard: the word ends a median word (0.6 s) after its start, or at the segment's end if later.
    expect(clamped.words?.at(-1)?.end).toBeCloseTo(1.8, 9);
    expect(clamped.end).toBe(1.4);
    expect(clamped.alignedEnd).toBe(1.95);
    // The alignment's end counts up to twice the median word (1.2 s) after the word's start.
    expect(timed(3.4).alignedEnd).toBe(2.4);
  });
});
