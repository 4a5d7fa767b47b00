import { describe, expect, it } from 'vitest';
import { renderTxt } from '../../src-main/export/txt';
import { FIXTURE, expectedCueText } from './fixtures';

function clock(seconds: number): string {
  const whole = Math.floor(seconds);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(Math.floor(whole / 3600))}:${pad(Math.floor((whole % 3600) / 60))}:${pad(whole % 60)}`;
}

const nonEmpty = FIXTURE.segments.filter((segment) => segment.text.trim() !== '');

describe('renderTxt', () => {
  it('writes one line per non-empty segment: [HH:MM:SS] Speaker: text', () => {
    const lines = renderTxt(FIXTURE).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toEqual(
      nonEmpty.map((segment) => {
        const speaker = segment.speaker === null ? '' : `${segment.speaker}: `;
        return `[${clock(segment.start)}] ${speaker}${segment.text.replace(/\s+/g, ' ').trim()}`;
      }),
    );
  });

  it('keeps Hangul, emoji and combining marks exactly, and hours past 99', () => {
    const output = renderTxt(FIXTURE);
    expect(output).toContain('[00:00:02] 김민지: 안녕하세요, 회의를 시작하겠습니다.\n');
    expect(output).toContain('café 👩‍💻 e\u0301\n');
    expect(output).toContain('[100:00:00] SPEAKER_01: We are past one hundred hours.\n');
  });

  it('drops timestamps and speakers when asked', () => {
    const lines = renderTxt(FIXTURE, { includeTimestamps: false, includeSpeakers: false }).trimEnd().split('\n');
    expect(lines).toEqual(nonEmpty.map((segment) => segment.text.replace(/\s+/g, ' ').trim()));
    // Plain text keeps "-->" as spoken: only subtitle formats need it neutralized.
    expect(lines).toContain('The arrow --> means next step, then ---> done');
    expect(expectedCueText('a --> b')).toBe('a -> b');
  });

  it('is empty for a transcript without speech', () => {
    expect(renderTxt({ ...FIXTURE, segments: [] })).toBe('');
  });
});
