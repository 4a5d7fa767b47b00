import { describe, expect, it } from 'vitest';
import { renderVtt } from '../../src-main/export/vtt';
import { FIXTURE, LONG_ENGLISH } from './fixtures';
import { expectCuesMatchTranscript } from './expectations';
import { parseVttCues } from './parsers';

describe('renderVtt', () => {
  const output = renderVtt(FIXTURE);
  const parsed = parseVttCues(output);

  it('is conforming WebVTT according to the W3C parser', () => {
    expect(parsed.errors).toEqual([]);
    expect(output.startsWith('WEBVTT\n\n')).toBe(true);
  });

  it('round-trips text, <v> speakers and times within 1 ms', () => {
    expectCuesMatchTranscript(parsed.cues, FIXTURE, { speakerStyle: 'voice', exactTimes: true });
  });

  it('writes HH:MM:SS.mmm timings, hours past 99 included', () => {
    expect(output).toContain('\n100:00:00.000 --> 100:00:04.251\n<v SPEAKER_01>We are past one hundred hours.</v>\n');
  });

  it('escapes &, < and > so text is never read as markup', () => {
    expect(output).toContain('<v A&B \u203A C>Tom &amp; Jerry &lt;i&gt;not markup&lt;/i&gt; café');
    const cue = parsed.cues.find((candidate) => candidate.voice === 'A&B \u203A C');
    expect(cue?.lines.join(' ')).toBe('Tom & Jerry <i>not markup</i> café 👩‍💻 e\u0301');
  });

  it('keeps Hangul exactly', () => {
    expect(output).toContain('<v 김민지>안녕하세요, 회의를 시작하겠습니다.</v>');
  });

  it('splits a long segment at word start times when words exist', () => {
    const grouped = expectCuesMatchTranscript(parsed.cues, FIXTURE, { speakerStyle: 'voice', exactTimes: true });
    const cues = grouped.get(4) ?? [];
    expect(cues.length).toBeGreaterThan(1);
    const segment = FIXTURE.segments[4];
    const wordStarts = new Set((segment?.words ?? []).map((word) => Math.round(word.start * 1000)));
    for (const cue of cues.slice(1)) expect(wordStarts.has(Math.round(cue.startMs))).toBe(true);
    // The boundary word is the first word of the cue it starts.
    for (const cue of cues.slice(1)) {
      const word = segment?.words?.find((candidate) => Math.round(candidate.start * 1000) === Math.round(cue.startMs));
      expect(cue.lines[0]?.startsWith(word?.text.trim() ?? '?')).toBe(true);
    }
    expect(cues.map((cue) => cue.lines.join(' ')).join(' ')).toBe(LONG_ENGLISH);
  });

  it('splits a long segment without words in proportion to text length', () => {
    const grouped = expectCuesMatchTranscript(parsed.cues, FIXTURE, { speakerStyle: 'voice', exactTimes: true });
    const cues = grouped.get(5) ?? [];
    expect(cues.length).toBeGreaterThan(1);
    for (let index = 1; index < cues.length; index += 1) {
      expect(cues[index]?.startMs).toBe(cues[index - 1]?.endMs);
    }
  });

  it('honours custom line limits', () => {
    const narrow = renderVtt(FIXTURE, { maxLineWidth: 20, maxLinesPerCue: 1 });
    const result = parseVttCues(narrow);
    expect(result.errors).toEqual([]);
    expectCuesMatchTranscript(result.cues, FIXTURE, {
      speakerStyle: 'voice',
      exactTimes: true,
      maxLineWidth: 20,
      maxLines: 1,
    });
  });

  it('writes a cue per word, timed by its word timestamps, with wordCues', () => {
    const words = parseVttCues(renderVtt(FIXTURE, { wordCues: true }));
    expect(words.errors).toEqual([]);
    const segment = FIXTURE.segments[4];
    const expected = (segment?.words ?? []).map((word) => ({
      text: word.text.trim(),
      startMs: Math.round(word.start * 1000),
      endMs: Math.round(word.end * 1000),
    }));
    expect(expected.length).toBeGreaterThan(3);
    const found = words.cues.filter(
      (cue) => cue.startMs >= (expected[0]?.startMs ?? 0) - 1 && cue.endMs <= (expected.at(-1)?.endMs ?? 0) + 1,
    );
    expect(found.map((cue) => ({ text: cue.lines.join(' '), startMs: Math.round(cue.startMs), endMs: Math.round(cue.endMs) }))).toEqual(
      expected,
    );
    // Segments without word times keep their ordinary cues.
    expect(words.cues.some((cue) => cue.lines.join(' ').includes('안녕하세요'))).toBe(true);
  });

  it('is just the header for an empty transcript', () => {
    expect(renderVtt({ ...FIXTURE, segments: [] })).toBe('WEBVTT\n');
    expect(parseVttCues('WEBVTT\n').errors).toEqual([]);
  });
});
