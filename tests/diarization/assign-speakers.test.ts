import { describe, expect, it } from 'vitest';
import { assignSpeakers, type AssignOptions } from '../../src-main/diarization/assign-speakers';
import type { SpeakerTurn } from '../../src-main/diarization/types';
import type { TranscriptSegment, TranscriptWord } from '../../src-shared/transcript';
import { seededRandom } from '../export/fixtures';

const turn = (speaker: string, start: number, end: number): SpeakerTurn => ({ speaker, start, end });
const word = (text: string, start: number, end: number): TranscriptWord => ({ text, start, end });
const segment = (id: number, start: number, end: number, text: string, words?: TranscriptWord[]): TranscriptSegment =>
  words === undefined ? { id, start, end, text, speaker: null } : { id, start, end, text, speaker: null, words };

/** The essentials of each output segment, to compare with hand-computed expectations. */
function summary(segments: readonly TranscriptSegment[]): Array<[number, number, number, string, string | null]> {
  return segments.map((s) => [s.id, s.start, s.end, s.text, s.speaker]);
}

function assign(segments: TranscriptSegment[], turns: SpeakerTurn[], options?: AssignOptions): TranscriptSegment[] {
  const before = structuredClone(segments);
  const result = assignSpeakers(segments, turns, options);
  expect(segments, 'input is not mutated').toEqual(before);
  return result;
}

// 48 graphemes; the space after word k sits at grapheme position 3.5, 7.5, 13.5, 18.5, 23.5, 27.5, 33.5, 39.5, 44.5.
const TEN = 'one two three four five six seven eight nine ten';

describe('assignSpeakers: labels without splitting', () => {
  it('gives every segment of a single speaker that speaker and keeps text, times and words', () => {
    const words = [word(' How', 3, 3.5), word(' are', 3.5, 4), word(' you?', 4, 5.5)];
    const result = assign([segment(0, 0, 3, 'Hello there.'), segment(1, 3, 6, 'How are you?', words)], [turn('A', 0, 6)]);
    expect(summary(result)).toEqual([
      [0, 0, 3, 'Hello there.', 'A'],
      [1, 3, 6, 'How are you?', 'A'],
    ]);
    expect(result[1]!.words).toEqual(words);
  });

  it('with no turns at all leaves speakers null and segments unchanged except ids, in time order', () => {
    const words = [word(' Second', 5, 5.6), word(' one.', 5.6, 6)];
    const input = [segment(7, 5, 6, ' Second one.', words), segment(3, 0, 2, 'First one.')];
    const result = assign(input, []);
    expect(result).toEqual([
      { id: 0, start: 0, end: 2, text: 'First one.', speaker: null },
      { id: 1, start: 5, end: 6, text: ' Second one.', speaker: null, words },
    ]);
  });

  it('lets the dominant speaker win where turns overlap', () => {
    // B's backchannel [4, 6] lies inside A's turn: A keeps the floor, no split.
    expect(summary(assign([segment(0, 0, 10, TEN)], [turn('A', 0, 10), turn('B', 4, 6)]))).toEqual([[0, 0, 10, TEN, 'A']]);
    // A [0, 0.5] and B [0.3, 2] overlap; A's run is under 1 s so it folds into B, who has 1.7 s of 2.
    expect(summary(assign([segment(0, 0, 2, 'Sure, go on.')], [turn('A', 0, 0.5), turn('B', 0.3, 2)]))).toEqual([
      [0, 0, 2, 'Sure, go on.', 'B'],
    ]);
  });

  it('labels a segment in a gap with the nearest turn within 1 s, else null', () => {
    const turns = [turn('A', 0, 9.5), turn('B', 12, 15)];
    const result = assign([segment(0, 10, 11, 'gap'), segment(1, 15.5, 16, 'after'), segment(2, 20, 21, 'far')], turns);
    // [10, 11]: A is 0.5 s away, B 1 s → A. [15.5, 16]: B 0.5 s → B. [20, 21]: nothing within 1 s → null.
    expect(result.map((s) => s.speaker)).toEqual(['A', 'B', null]);
  });

  it('does not split a segment when a piece would be shorter than minSplitSeconds', () => {
    // A 0.8 s, B 0.7 s: B is the shortest, folds into A, and A has the most overlap.
    expect(summary(assign([segment(0, 0, 1.5, 'Yes. No.')], [turn('A', 0, 0.8), turn('B', 0.8, 1.5)]))).toEqual([
      [0, 0, 1.5, 'Yes. No.', 'A'],
    ]);
    // B's 0.5 s interjection inside A folds into A on both sides: one piece.
    expect(summary(assign([segment(0, 0, 10, TEN)], [turn('A', 0, 4.5), turn('B', 4.5, 5), turn('A', 5, 10)]))).toEqual([
      [0, 0, 10, TEN, 'A'],
    ]);
  });

  it('rejects a minSplitSeconds that is not a finite number ≥ 0', () => {
    expect(() => assignSpeakers([], [], { minSplitSeconds: -1 })).toThrow(RangeError);
    expect(() => assignSpeakers([], [], { minSplitSeconds: Number.NaN })).toThrow(RangeError);
  });
});

describe('assignSpeakers: segments with word times', () => {
  it('splits at the speaker change between words, with times and text from the words', () => {
    const words = [word(' Hi', 0, 0.4), word(' Bob.', 0.4, 1), word(' Hello', 2.1, 2.6), word(' Alice.', 2.6, 3.2)];
    const result = assign([segment(5, 0, 4, ' Hi Bob. Hello Alice.', words)], [turn('A', 0, 2), turn('B', 2, 4)]);
    expect(result).toEqual([
      { id: 0, start: 0, end: 1, text: 'Hi Bob.', speaker: 'A', words: words.slice(0, 2) },
      { id: 1, start: 2.1, end: 3.2, text: 'Hello Alice.', speaker: 'B', words: words.slice(2) },
    ]);
  });

  it('gives a word tied between two speakers to the previous word’s speaker', () => {
    const words = [word(' so', 1.5, 2.5), word(' and', 2.9, 3.1), word(' then', 3.5, 4)];
    // ' and' overlaps B [2.9, 3] and A [3, 3.1] equally: it stays with B, who said ' so'.
    const result = assign([segment(0, 1.5, 4, 'so and then', words)], [turn('A', 0, 1), turn('B', 1, 3), turn('A', 3, 5)]);
    expect(summary(result)).toEqual([
      [0, 1.5, 3.1, 'so and', 'B'],
      [1, 3.5, 4, 'then', 'A'],
    ]);
  });

  it('gives a word outside every turn the nearest turn within 1 s, else the previous word’s speaker', () => {
    const words = [word(' one', 0.2, 0.8), word(' two', 1.5, 1.9), word(' three', 3, 3.4), word(' four', 4.3, 4.6)];
    // ' two': A is 0.5 s away. ' three': A 2 s, B 1.6 s → previous word (A). ' four': B 0.4 s away.
    const result = assign([segment(0, 0, 6, 'one two three four', words)], [turn('A', 0, 1), turn('B', 5, 6)]);
    expect(summary(result)).toEqual([
      [0, 0.2, 3.4, 'one two three', 'A'],
      [1, 4.3, 4.6, 'four', 'B'],
    ]);
  });

  it('carries the previous word’s speaker across segments, and starts from null', () => {
    const first = segment(0, 20, 21, 'far away', [word(' far', 20, 20.5), word(' away', 20.5, 21)]);
    const second = [segment(0, 0, 1, 'hello', [word(' hello', 0, 1)]), segment(1, 3, 4, 'there', [word(' there', 3, 4)])];
    expect(assign([first], [turn('A', 0, 1)]).map((s) => s.speaker)).toEqual([null]);
    // 'there' is 2 s from A's turn: it inherits A from 'hello' in the previous segment.
    expect(assign(second, [turn('A', 0, 1)]).map((s) => s.speaker)).toEqual(['A', 'A']);
  });

  it('joins words without spaces as Whisper spells them', () => {
    const words = [word('今日は', 0, 1), word('会議', 1, 2), word('です。', 2, 3)];
    const result = assign([segment(0, 0, 3, '今日は会議です。', words)], [turn('A', 0, 1.1), turn('B', 1.1, 3)]);
    expect(summary(result)).toEqual([
      [0, 0, 1, '今日は', 'A'],
      [1, 1, 3, '会議です。', 'B'],
    ]);
  });
});

describe('assignSpeakers: segments without word times', () => {
  it('splits at the change point and divides the text at the word boundary nearest the time share', () => {
    // The cut at 3 s of 10 aims at grapheme 14.4 of 48: the space at 13.5 is nearest.
    expect(summary(assign([segment(0, 0, 10, TEN)], [turn('A', 0, 3), turn('B', 3, 10)]))).toEqual([
      [0, 0, 3, 'one two three', 'A'],
      [1, 3, 10, 'four five six seven eight nine ten', 'B'],
    ]);
  });

  it('keeps the current speaker through an overlap and cuts where they stop', () => {
    // A [0, 7] and B [5, 10]: A holds [5, 7]; the cut at 7 aims at 33.6 → the space at 33.5.
    expect(summary(assign([segment(0, 0, 10, TEN)], [turn('A', 0, 7), turn('B', 5, 10)]))).toEqual([
      [0, 0, 7, 'one two three four five six seven', 'A'],
      [1, 7, 10, 'eight nine ten', 'B'],
    ]);
    // A [0, 4] and B [3, 10]: B has more time overall, but A was talking first and holds [3, 4].
    // The cut at 4 aims at 19.2 → the space at 18.5.
    expect(summary(assign([segment(0, 0, 10, TEN)], [turn('A', 0, 4), turn('B', 3, 10)]))).toEqual([
      [0, 0, 4, 'one two three four', 'A'],
      [1, 4, 10, 'five six seven eight nine ten', 'B'],
    ]);
  });

  it('splits silence between two speakers at its middle and gives edge silence to the neighbour', () => {
    // Gap [3, 5] → cut at 4 → grapheme 19.2 → the space at 18.5.
    expect(summary(assign([segment(0, 0, 10, TEN)], [turn('A', 0, 3), turn('B', 5, 10)]))).toEqual([
      [0, 0, 4, 'one two three four', 'A'],
      [1, 4, 10, 'five six seven eight nine ten', 'B'],
    ]);
    // Leading silence [0, 2] joins A; the cut at 6 aims at 28.8 → the space at 27.5.
    expect(summary(assign([segment(0, 0, 10, TEN)], [turn('A', 2, 6), turn('B', 6, 12)]))).toEqual([
      [0, 0, 6, 'one two three four five six', 'A'],
      [1, 6, 10, 'seven eight nine ten', 'B'],
    ]);
  });

  it('drops a piece that gets no text and gives its time to the piece before', () => {
    // Runs A [0, 4.5], B [4.5, 5.5], C [5.5, 10] with minSplitSeconds 0.5. 'alpha beta' has one cut,
    // at 5.5 of 10 graphemes: both boundaries (4.5 and 5.5) snap to it, so B's piece is empty.
    const result = assign([segment(0, 0, 10, 'alpha beta')], [turn('A', 0, 4.5), turn('B', 4.5, 5.5), turn('C', 5.5, 10)], {
      minSplitSeconds: 0.5,
    });
    expect(summary(result)).toEqual([
      [0, 0, 5.5, 'alpha', 'A'],
      [1, 5.5, 10, 'beta', 'C'],
    ]);
  });

  it('splits Korean text only at spaces', () => {
    const text = '안녕하세요 오늘 회의를 시작하겠습니다 먼저 예산부터 보겠습니다';
    // 34 graphemes; the cut at 3 s of 6 aims at 17: the space at 20.5 is nearer than the one at 12.5.
    expect(summary(assign([segment(0, 0, 6, text)], [turn('A', 0, 3), turn('B', 3, 6)]))).toEqual([
      [0, 0, 3, '안녕하세요 오늘 회의를 시작하겠습니다', 'A'],
      [1, 3, 6, '먼저 예산부터 보겠습니다', 'B'],
    ]);
    // One Korean word cannot be cut: the segment stays whole with the dominant speaker.
    expect(summary(assign([segment(0, 0, 6, '감사합니다')], [turn('A', 0, 2), turn('B', 2, 6)]))).toEqual([[0, 0, 6, '감사합니다', 'B']]);
  });

  it('splits text without spaces at character boundaries, keeping closing punctuation attached', () => {
    // 17 graphemes, aim 8.5: boundaries 8 and 9 tie, the earlier wins; no cut ever falls before '。'.
    const japanese = '今日は会議です。予算を確認します。';
    expect(summary(assign([segment(0, 0, 4, japanese)], [turn('A', 0, 2), turn('B', 2, 4)]))).toEqual([
      [0, 0, 2, '今日は会議です。', 'A'],
      [1, 2, 4, '予算を確認します。', 'B'],
    ]);
    // Aim 7.4: the boundary at 7 would be nearest, but it sits before '。'; 8 (0.6 away) beats 6 (1.4).
    expect(summary(assign([segment(0, 0, 17, japanese)], [turn('A', 0, 7.4), turn('B', 7.4, 17)]))).toEqual([
      [0, 0, 7.4, '今日は会議です。', 'A'],
      [1, 7.4, 17, '予算を確認します。', 'B'],
    ]);
    expect(summary(assign([segment(0, 0, 10, '我们今天讨论预算问题')], [turn('A', 0, 3), turn('B', 3, 10)]))).toEqual([
      [0, 0, 3, '我们今', 'A'],
      [1, 3, 10, '天讨论预算问题', 'B'],
    ]);
    // A Latin word without spaces is not cut.
    expect(summary(assign([segment(0, 0, 10, 'Supercalifragilistic')], [turn('A', 0, 3), turn('B', 3, 10)]))).toEqual([
      [0, 0, 10, 'Supercalifragilistic', 'B'],
    ]);
  });

  it('counts and cuts Thai by graphemes, never before a combining vowel', () => {
    // สวัสดีครับ is 10 code points but 7 graphemes: ส วั ส ดี ค รั บ.
    const thai = 'สวัสดีครับ';
    expect(summary(assign([segment(0, 0, 7, thai)], [turn('A', 0, 4), turn('B', 4, 7)]))).toEqual([
      [0, 0, 4, 'สวัสดี', 'A'],
      [1, 4, 7, 'ครับ', 'B'],
    ]);
    // Aim 1.4 graphemes → after ส. Counted in code points the aim would be 2, between ว and its vowel ั.
    expect(summary(assign([segment(0, 0, 7, thai)], [turn('A', 0, 1.4), turn('B', 1.4, 7)], { minSplitSeconds: 0.5 }))).toEqual([
      [0, 0, 1.4, 'ส', 'A'],
      [1, 1.4, 7, 'วัสดีครับ', 'B'],
    ]);
  });

  it('never cuts inside a grapheme', () => {
    const text = 'e\u0301e\u0301e\u0301今日👩‍💻👩‍💻会議';
    const result = assign([segment(0, 0, 10, text)], [turn('A', 0, 5), turn('B', 5, 10)]);
    expect(result.map((s) => s.text).join('')).toBe(text);
    expect(result.length).toBe(2);
    for (const piece of result) expect(piece.text).not.toMatch(/^[\u0301\u200d]|\u200d$|\uD83D$/u);
  });
});

// ---- Properties over random transcripts --------------------------------------------------------

const VOCABULARY = [
  'the',
  'meeting',
  'budget,',
  'okay.',
  'Q3',
  '안녕하세요',
  '회의를',
  '시작하겠습니다.',
  '今日は会議です。',
  '我们讨论预算',
  '「はい」',
  'e\u0301',
  '👩‍💻',
  'naïve',
  '42',
];

function randomCase(random: () => number): { segments: TranscriptSegment[]; turns: SpeakerTurn[]; minSplitSeconds: number } {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const segments: TranscriptSegment[] = [];
  let time = random() * 2;
  for (let id = 0; id < 1 + Math.floor(random() * 6); id++) {
    const start = time;
    const end = start + 0.2 + random() * 12;
    const tokens = Array.from({ length: 1 + Math.floor(random() * 14) }, () => pick(VOCABULARY));
    const separators = tokens.map(() => pick([' ', ' ', ' ', '', '  ']));
    const text = tokens.map((token, i) => (i === 0 ? '' : separators[i]) + token).join('');
    if (random() < 0.35) {
      const step = (end - start) / tokens.length;
      const words = tokens.map((token, i) =>
        word((i === 0 ? ' ' : separators[i]) + token, start + i * step, i === tokens.length - 1 ? end : start + (i + 1) * step),
      );
      segments.push(segment(id, start, end, text, words));
    } else {
      segments.push(segment(id, start, end, text));
    }
    time = end + 0.01 + random() * 2;
  }
  const turns: SpeakerTurn[] = [];
  for (let t = random() * 2; t < time;) {
    const length = 0.2 + random() * 5;
    turns.push(turn(pick(['A', 'B', 'C']), t, t + length));
    t += length + (random() < 0.3 ? random() * 2 : -random() * Math.min(length, 1));
  }
  return { segments, turns, minSplitSeconds: pick([0, 0.5, 1, 2]) };
}

/** Pieces, read in order and separated by the whitespace they were cut at, spell the original text. */
function expectSpelledBy(original: string, pieces: readonly string[]): void {
  const text = original.trim();
  let cursor = 0;
  for (const piece of pieces) {
    expect(piece.length, 'piece has text').toBeGreaterThan(0);
    expect(piece.trim(), 'piece is trimmed').toBe(piece);
    while (/\s/u.test(text[cursor] ?? '')) cursor++;
    expect(text.startsWith(piece, cursor), `"${piece}" follows at ${cursor} in "${text}"`).toBe(true);
    cursor += piece.length;
  }
  expect(cursor, `pieces cover all of "${text}"`).toBe(text.length);
}

describe('assignSpeakers: properties', () => {
  const SEEDS = Array.from({ length: 300 }, (_, i) => i + 1);

  it('conserves text, words and time, numbers ids in time order and honours minSplitSeconds', () => {
    let splits = 0;
    for (const seed of SEEDS) {
      const { segments, turns, minSplitSeconds } = randomCase(seededRandom(seed));
      const result = assign(segments, turns, { minSplitSeconds });
      expect(
        result.map((s) => s.id),
        `seed ${seed}`,
      ).toEqual(result.map((_, i) => i));
      let next = 0;
      for (const input of segments) {
        // Segments are in order with gaps, so each input's pieces are the next run of outputs inside it.
        const pieces: TranscriptSegment[] = [];
        while (next < result.length && result[next]!.start >= input.start && result[next]!.end <= input.end) {
          pieces.push(result[next++]!);
        }
        expect(pieces.length, `seed ${seed}: segment ${input.id} has pieces`).toBeGreaterThan(0);
        if (pieces.length === 1) {
          expect({ ...pieces[0]!, id: input.id, speaker: null }, `seed ${seed}: unsplit segment unchanged`).toEqual(input);
          continue;
        }
        splits++;
        for (let i = 1; i < pieces.length; i++) expect(pieces[i]!.speaker).not.toBe(pieces[i - 1]!.speaker);
        if (input.words !== undefined) {
          expect(
            pieces.flatMap((piece) => piece.words ?? []),
            `seed ${seed}: words conserved`,
          ).toEqual(input.words);
          for (const piece of pieces)
            expect(piece.text).toBe(
              piece
                .words!.map((w) => w.text)
                .join('')
                .trim(),
            );
        } else {
          expectSpelledBy(
            input.text,
            pieces.map((piece) => piece.text),
          );
          expect(
            pieces.every((piece) => piece.speaker !== null),
            `seed ${seed}: split pieces have speakers`,
          ).toBe(true);
          expect(pieces[0]!.start).toBe(input.start);
          expect(pieces.at(-1)!.end).toBe(input.end);
          for (let i = 1; i < pieces.length; i++) expect(pieces[i]!.start).toBe(pieces[i - 1]!.end);
          for (const piece of pieces) expect(piece.end - piece.start).toBeGreaterThanOrEqual(minSplitSeconds - 1e-9);
        }
      }
      expect(next, `seed ${seed}: no extra outputs`).toBe(result.length);
    }
    // The property must have exercised real splits, not only whole segments.
    expect(splits).toBeGreaterThan(100);
  });

  it('gives the same answer whatever the input order', () => {
    for (const seed of SEEDS.slice(0, 50)) {
      const { segments, turns } = randomCase(seededRandom(seed));
      const shuffled = [...segments].reverse();
      expect(assign(shuffled, [...turns].reverse()), `seed ${seed}`).toEqual(assign(segments, turns));
    }
  });
});
