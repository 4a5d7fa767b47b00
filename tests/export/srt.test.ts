import { describe, expect, it } from 'vitest';
import { renderSrt } from '../../src-main/export/srt';
import { FIXTURE } from './fixtures';
import { expectCuesMatchTranscript } from './expectations';
import { parseSrtCues } from './parsers';

describe('renderSrt', () => {
  const output = renderSrt(FIXTURE);

  it('round-trips through the subtitle parser: text, speakers and times within 1 ms', () => {
    expectCuesMatchTranscript(parseSrtCues(output), FIXTURE, { speakerStyle: 'prefix', exactTimes: true });
  });

  it('numbers cues from 1 and writes HH:MM:SS,mmm timings, hours past 99 included', () => {
    const blocks = output.trimEnd().split('\n\n');
    blocks.forEach((block, index) => {
      const [number, timing] = block.split('\n');
      expect(number).toBe(String(index + 1));
      expect(timing).toMatch(/^\d{2,}:\d{2}:\d{2},\d{3} --> \d{2,}:\d{2}:\d{2},\d{3}$/);
    });
    expect(output).toContain('\n100:00:00,000 --> 100:00:04,251\nSPEAKER_01: We are past one hundred hours.\n');
  });

  it('keeps Hangul and other Unicode byte-exact, with no BOM by default', () => {
    expect(output.startsWith('1\n')).toBe(true);
    expect(output).toContain('김민지: 안녕하세요, 회의를 시작하겠습니다.');
    expect(output).toContain('café 👩‍💻 e\u0301');
    expect(Buffer.from(output, 'utf8').toString('utf8')).toBe(output);
  });

  it('never lets cue text contain a timing arrow or a blank line', () => {
    const textLines = output.split('\n').filter((line) => !/^\d+:\d{2}:\d{2},\d{3} --> /.test(line));
    expect(textLines.some((line) => line.includes('-->'))).toBe(false);
    expect(output).toContain('The arrow -> means next step, then -> done');
    expect(output).not.toMatch(/\n\n\n/);
  });

  it('skips empty segments', () => {
    expect(parseSrtCues(output).some((cue) => cue.lines.join('').trim() === '')).toBe(false);
  });

  it('gives a zero-length segment a readable duration', () => {
    expect(output).toContain('100:00:05,500 --> 100:00:06,500\nOkay.');
  });

  it('prepends a UTF-8 BOM only when asked, which the parser still reads', () => {
    const withBom = renderSrt(FIXTURE, { srtByteOrderMark: true });
    expect([...Buffer.from(withBom, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(parseSrtCues(withBom)).toEqual(parseSrtCues(output));
  });

  it('omits speaker labels when includeSpeakers is false', () => {
    const plain = renderSrt(FIXTURE, { includeSpeakers: false });
    const noSpeakers = { ...FIXTURE, segments: FIXTURE.segments.map((segment) => ({ ...segment, speaker: null })) };
    expectCuesMatchTranscript(parseSrtCues(plain), noSpeakers, { speakerStyle: 'prefix', exactTimes: true });
  });

  it('returns an empty document for an empty transcript', () => {
    expect(renderSrt({ ...FIXTURE, segments: [] })).toBe('');
  });
});
