import { describe, expect, it } from 'vitest';
import { parseSearchQuery, substringIndexQuery, wordIndexQuery } from '../../src-main/library/fts-query';
import { splitSnippet } from '../../src-main/library/library-search';
import type { SearchHit } from '../../src-shared/library';
import { JFK_LINES, KOREAN_LINES, openStore, transcriptOf, unwrap } from './library-fixtures';

function setUp() {
  const store = openStore();
  const english = unwrap(store.createMeeting({ title: 'Inaugural address', createdAt: '2026-01-01T00:00:00Z' }));
  unwrap(store.replaceTranscript(english.id, transcriptOf(JFK_LINES)));
  const korean = unwrap(store.createMeeting({ title: '주간 회의', createdAt: '2026-01-02T00:00:00Z' }));
  unwrap(store.replaceTranscript(korean.id, transcriptOf(KOREAN_LINES, { language: 'ko' })));
  const other = unwrap(store.createMeeting({ title: 'Café chat', createdAt: '2026-01-03T00:00:00Z' }));
  unwrap(
    store.replaceTranscript(
      other.id,
      transcriptOf([
        'We met at the Café Müller to plan the launch.',
        'AND then NOT much else: a "quoted" word, 50% of (the) time.',
        'Ship it now, said Ana.',
      ]),
    ),
  );
  return { store, english, korean, other };
}

const highlighted = (hit: SearchHit | undefined) => (hit?.snippet ?? []).filter((part) => part.hit).map((part) => part.text);
const plainText = (hit: SearchHit | undefined) => (hit?.snippet ?? []).map((part) => part.text).join('');

describe('search', () => {
  it('reads a NUL or another control character in the query as a space, not as the end of the query', () => {
    const { store, english } = setUp();
    for (const query of ['ask\u0000not', 'country\u0000', '\u0000"ask not"', 'ask\u0001not\u007f']) {
      const hits = store.search(query);
      expect(hits.ok, JSON.stringify(query)).toBe(true);
      expect(
        unwrap(hits).map((hit) => [hit.meetingId, hit.segmentId]),
        JSON.stringify(query),
      ).toContainEqual([english.id, 1]);
    }
    expect(parseSearchQuery('a\u0000b"c\u0000d"')).toEqual([
      { text: 'a', phrase: false },
      { text: 'b', phrase: false },
      { text: 'c d', phrase: true },
    ]);
  });

  it('finds an English phrase with its meeting, segment, time and a highlighted snippet', () => {
    const { store, english } = setUp();
    const hits = unwrap(store.search('ask not what your country'));
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({
      meetingId: english.id,
      meetingTitle: 'Inaugural address',
      segmentId: 1,
      start: 4,
      end: 7.5,
      speaker: 'SPEAKER_01',
    });
    expect(plainText(hits[0])).toBe('ask not what your country can do for you,');
    expect(highlighted(hits[0])).toEqual(['ask', 'not', 'what', 'your', 'country']);
  });

  it('matches words by prefix and ranks the segments that contain every term', () => {
    const { store, english } = setUp();
    const prefixHits = unwrap(store.search('countr')).map((hit) => [hit.meetingId, hit.segmentId]);
    expect(prefixHits.sort()).toEqual([
      [english.id, 1],
      [english.id, 2],
    ]);
    expect(unwrap(store.search('AMERICANS fellow')).map((hit) => hit.segmentId)).toEqual([0]);
    expect(unwrap(store.search('country fellow'))).toEqual([]);
  });

  it('finds a Korean phrase, a word with its particle cut off, and part of a compound', () => {
    const { store, korean } = setUp();
    const phrase = unwrap(store.search('회의를 시작하겠습니다'));
    expect(phrase.map((hit) => [hit.meetingId, hit.segmentId, hit.start, hit.end])).toEqual([[korean.id, 0, 0, 3.5]]);
    expect(highlighted(phrase[0])).toEqual(['회의를', '시작하겠습니다']);

    // "회의" (meeting) is written "회의를" with its object particle: a word prefix.
    expect(unwrap(store.search('회의')).map((hit) => hit.segmentId)).toEqual([0]);
    // "기회의" sits inside "정기회의": only the substring (trigram) index can find it.
    const inside = unwrap(store.search('기회의'));
    expect(inside.map((hit) => [hit.meetingId, hit.segmentId])).toEqual([[korean.id, 1]]);
    expect(highlighted(inside[0])).toEqual(['기회의']);
    expect(unwrap(store.search('보고서 제출')).map((hit) => hit.segmentId)).toEqual([2]);
  });

  it('ignores case and accents', () => {
    const { store, other } = setUp();
    for (const query of ['cafe muller', 'CAFÉ', 'müller']) {
      expect(unwrap(store.search(query)).map((hit) => [hit.meetingId, hit.segmentId])).toEqual([[other.id, 0]]);
    }
  });

  it('keeps "quoted words" together as a phrase', () => {
    const { store } = setUp();
    expect(unwrap(store.search('"ship it"')).map((hit) => hit.segmentId)).toEqual([2]);
    expect(unwrap(store.search('"it ship"'))).toEqual([]);
  });

  it('treats query syntax and odd input as plain text, never as an error', () => {
    const { store, other } = setUp();
    const odd = [
      '"',
      '""',
      '"""',
      'AND',
      'OR',
      'NOT',
      'NEAR',
      'NEAR(a b)',
      '*',
      'a*',
      '^',
      'text:',
      'text:ship',
      '(',
      ')',
      '-',
      '+',
      "'",
      '\\',
      '%',
      '; DROP TABLE meetings; --',
      'AND OR NOT',
      '" AND "',
      '\u0000',
      '\uE000',
      '🙂',
      '',
      '   ',
      'x'.repeat(10_000),
      'a '.repeat(500),
    ];
    for (const query of odd) {
      const result = store.search(query);
      expect(result.ok, `query ${JSON.stringify(query.slice(0, 40))}`).toBe(true);
    }
    // Operators are words to find.
    expect(unwrap(store.search('AND')).some((hit) => hit.meetingId === other.id && hit.segmentId === 1)).toBe(true);
    expect(unwrap(store.search('NOT much')).map((hit) => hit.segmentId)).toEqual([1]);
    expect(unwrap(store.search('"quoted"')).map((hit) => hit.segmentId)).toEqual([1]);
    expect(unwrap(store.search('50%')).map((hit) => hit.segmentId)).toEqual([1]);
    expect(unwrap(store.search('text:ship')).map((hit) => hit.segmentId)).toEqual([]);
    expect(unwrap(store.listMeetings())).toHaveLength(3);
  });

  it('limits results and filters by meeting', () => {
    const { store, english, other } = setUp();
    expect(unwrap(store.search('a', { limit: 2 }))).toHaveLength(2);
    expect(
      unwrap(store.search('ask', { meetingId: english.id }))
        .map((hit) => hit.segmentId)
        .sort(),
    ).toEqual([1, 2]);
    expect(unwrap(store.search('ask', { meetingId: other.id }))).toEqual([]);
    expect(unwrap(store.search('ask', { meetingId: 'no-such-meeting' }))).toEqual([]);
  });

  it('follows segment edits', () => {
    const { store, english } = setUp();
    unwrap(store.editSegmentText(english.id, 1, 'ask not what your nation can do for you,'));
    expect(unwrap(store.search('nation')).map((hit) => hit.segmentId)).toEqual([1]);
    expect(unwrap(store.search('country')).map((hit) => hit.segmentId)).toEqual([2]);
  });
});

describe('search query building', () => {
  it('quotes every term and keeps quoted parts as phrases', () => {
    expect(parseSearchQuery('  ask  "not what"  your "')).toEqual([
      { text: 'ask', phrase: false },
      { text: 'not what', phrase: true },
      { text: 'your', phrase: false },
    ]);
    const terms = parseSearchQuery('say "he said ""hi"" AND" NEAR');
    expect(wordIndexQuery(terms)).toBe('"say"* AND "he said" AND "hi" AND "AND" AND "NEAR"*');
    expect(wordIndexQuery(parseSearchQuery('a"b'))).toBe('"a"* AND "b"*');
    expect(wordIndexQuery(parseSearchQuery('" - * ()'))).toBeNull();
  });

  it('uses the substring index only when every term has three characters or more', () => {
    expect(substringIndexQuery(parseSearchQuery('기회의 예산안'))).toBe('"기회의" AND "예산안"');
    expect(substringIndexQuery(parseSearchQuery('기회의 예산'))).toBeNull();
    expect(substringIndexQuery(parseSearchQuery("don't"))).toBe('"don\'t"');
  });

  it('splits a marked snippet into plain and highlighted parts', () => {
    expect(splitSnippet('…ask \uE000not\uE001 what \uE000you\uE001\uE000r\uE001')).toEqual([
      { text: '…ask ', hit: false },
      { text: 'not', hit: true },
      { text: ' what ', hit: false },
      { text: 'your', hit: true },
    ]);
    expect(splitSnippet('no hit')).toEqual([{ text: 'no hit', hit: false }]);
  });
});
