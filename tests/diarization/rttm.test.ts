import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRttm, parseRttm } from '../../src-main/diarization/rttm';
import type { SpeakerTurn } from '../../src-main/diarization/types';
import { SHARED_AUDIO } from '../support/paths';

const twoSpeakersRttm = (): string => readFileSync(path.join(SHARED_AUDIO, 'two-speakers.rttm'), 'utf8');

function parsed(text: string, fileId?: string): SpeakerTurn[] {
  const result = parseRttm(text, fileId);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

const line = (file: string, onset: string, duration: string, speaker: string): string =>
  `SPEAKER ${file} 1 ${onset} ${duration} <NA> <NA> ${speaker} <NA> <NA>`;

describe('parseRttm', () => {
  it('reads the two-speaker reference', () => {
    const turns = parsed(twoSpeakersRttm());
    expect(turns).toHaveLength(10);
    expect(new Set(turns.map((turn) => turn.speaker))).toEqual(new Set(['speaker90', 'speaker91']));
    expect(turns[0]!.start).toBeCloseTo(6.69, 9);
    expect(turns[0]!.end).toBeCloseTo(7.12, 9);
    expect(turns[0]!.speaker).toBe('speaker90');
    // Durations in the file: 0.43 + 0.8 + 1.7 + 1.11 + 4.13 + 3.43 + 3.44 + 0.44 + 6.72 + 2.15 = 24.35 s,
    // of which speaker90 has 0.43 + 1.7 + 4.13 + 3.44 + 2.15 = 11.85 s.
    const total = (list: SpeakerTurn[]): number => list.reduce((sum, turn) => sum + turn.end - turn.start, 0);
    expect(total(turns)).toBeCloseTo(24.35, 9);
    expect(total(turns.filter((turn) => turn.speaker === 'speaker90'))).toBeCloseTo(11.85, 9);
  });

  it('skips blank lines, ;; comments and non-SPEAKER records', () => {
    const text = [
      ';; produced by hand',
      '',
      'SPKR-INFO meeting 1 <NA> <NA> <NA> unknown alice <NA> <NA>',
      `  ${line('meeting', '1.5', '2.25', 'alice')}  `,
      line('meeting', '4', '1', 'bob') + '\r',
      '',
    ].join('\n');
    expect(parsed(text)).toEqual([
      { start: 1.5, end: 3.75, speaker: 'alice' },
      { start: 4, end: 5, speaker: 'bob' },
    ]);
  });

  it('keeps only the named file, and asks for one when several are present', () => {
    const text = [line('a', '0', '1', 'x'), line('b', '2', '1', 'y'), line('a', '3', '1', 'z')].join('\n');
    expect(parsed(text, 'a').map((turn) => turn.speaker)).toEqual(['x', 'z']);
    expect(parsed(text, 'missing')).toEqual([]);
    const several = parseRttm(text);
    expect(several.ok ? undefined : several.error.code).toBe('RTTM_MULTIPLE_FILES');
  });

  it.each([
    ['too few fields', 'SPEAKER meeting 1 2.0 1.0 <NA> <NA>'],
    ['too many fields', `${line('meeting', '2', '1', 'bob')} extra`],
    ['a non-numeric onset', line('meeting', 'two', '1', 'bob')],
    ['a non-numeric duration', line('meeting', '2', '1s', 'bob')],
    ['a negative onset', line('meeting', '-2', '1', 'bob')],
    ['an unknown record type', 'SPEEKER meeting 1 2 1 <NA> <NA> bob <NA> <NA>'],
  ])('rejects %s, naming the line', (_, badLine) => {
    const text = [';; header', line('meeting', '0', '1', 'alice'), badLine].join('\n');
    const result = parseRttm(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('RTTM_MALFORMED_LINE');
    expect(result.error.message).toContain('line 3');
    expect(result.error.subject).toBe(badLine);
  });

  it('rejects a negative duration with its own code', () => {
    const result = parseRttm([line('meeting', '0', '1', 'alice'), line('meeting', '5', '-0.5', 'bob')].join('\n'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('RTTM_NEGATIVE_DURATION');
    expect(result.error.message).toContain('line 2');
  });
});

describe('formatRttm', () => {
  it('writes SPEAKER lines sorted by onset with millisecond times', () => {
    const text = formatRttm('meeting', [
      { start: 12.3456, end: 14, speaker: 'bob' },
      { start: 0.5, end: 2.0004, speaker: 'alice' },
    ]);
    expect(text).toBe(
      'SPEAKER meeting 1 0.500 1.500 <NA> <NA> alice <NA> <NA>\n' +
        // 12.3456 rounds to 12.346; 14.000 − 12.346 = 1.654.
        'SPEAKER meeting 1 12.346 1.654 <NA> <NA> bob <NA> <NA>\n',
    );
  });

  it('replaces whitespace, which RTTM cannot hold, in names', () => {
    expect(formatRttm('team meeting', [{ start: 0, end: 1, speaker: 'Ada  Lovelace' }])).toBe(
      'SPEAKER team_meeting 1 0.000 1.000 <NA> <NA> Ada_Lovelace <NA> <NA>\n',
    );
  });

  it('round-trips the real reference through parse and format', () => {
    const original = twoSpeakersRttm();
    const turns = parsed(original);
    // The file is already sorted and written with three decimals, so formatting reproduces it byte for byte.
    expect(formatRttm('two-speakers', turns)).toBe(original);
    const again = parsed(formatRttm('two-speakers', turns));
    expect(again).toHaveLength(turns.length);
    again.forEach((turn, index) => {
      expect(turn.speaker).toBe(turns[index]!.speaker);
      expect(turn.start).toBeCloseTo(turns[index]!.start, 9);
      expect(turn.end).toBeCloseTo(turns[index]!.end, 9);
    });
  });
});
