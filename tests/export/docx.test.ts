/**
 * DOCX export read back by an independent reader (mammoth, which unzips the package and parses
 * word/document.xml): the title, one paragraph per spoken line with its time and, where the speaker
 * changes, the speaker's name in bold; XML-hostile text (controls, markup characters, emoji) survives.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mammoth from 'mammoth';
import { afterAll, describe, expect, it } from 'vitest';
import { renderDocx, writeTranscriptFile } from '../../src-main/export/index';
import { formatClockSeconds } from '../../src-main/export/timecode';
import { toSingleLine } from '../../src-main/export/text';
import { FIXTURE } from './fixtures';

const folder = mkdtempSync(join(tmpdir(), 'verbatim-docx-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** What each paragraph should read, following the renderer's rule: the speaker is named when it changes. */
function expectedParagraphs(): string[] {
  const lines: string[] = [];
  let previous: string | null = null;
  for (const segment of FIXTURE.segments) {
    const text = toSingleLine(segment.text);
    if (text === '') continue;
    const speaker = segment.speaker === null ? '' : toSingleLine(segment.speaker);
    lines.push(`[${formatClockSeconds(segment.start)}] ${speaker !== '' && speaker !== previous ? `${speaker}: ` : ''}${text}`);
    previous = speaker === '' ? null : speaker;
  }
  return lines;
}

describe('DOCX export', () => {
  it('reads back with the title, every line with its time, and the speakers by name', async () => {
    const bytes = await renderDocx(FIXTURE);
    // A ZIP package (the OOXML container).
    expect(Buffer.from(bytes.subarray(0, 4)).toString('latin1')).toBe('PK\u0003\u0004');
    const { value: text, messages } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
    expect(messages).toEqual([]);
    const paragraphs = text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    expect(paragraphs[0]).toBe(toSingleLine(FIXTURE.source));
    expect(paragraphs[1]).toContain(`Length: ${formatClockSeconds(FIXTURE.duration)}`);
    expect(paragraphs.slice(2)).toEqual(expectedParagraphs());
    expect(paragraphs.some((line) => line.includes('[100:00:00] SPEAKER_01: We are past one hundred hours.'))).toBe(true);
  });

  it('puts the speaker in bold and the title in a heading', async () => {
    const { value: html } = await mammoth.convertToHtml({ buffer: Buffer.from(await renderDocx(FIXTURE)) });
    expect(html).toMatch(/^<h1>/);
    expect(html).toContain('<strong>김민지: </strong>');
    expect(html).toContain('<strong>A&amp;B &gt; C: </strong>');
    expect(html).toContain('Tom &amp; Jerry &lt;i&gt;not markup&lt;/i&gt; café 👩‍💻');
  });

  it('writes atomically through the shared writer, and leaves out speakers and times when asked', async () => {
    const path = join(folder, 'minutes.docx');
    const written = await writeTranscriptFile(FIXTURE, 'docx', path, { includeSpeakers: false, includeTimestamps: false });
    expect(written.ok).toBe(true);
    const { value: text } = await mammoth.extractRawText({ buffer: readFileSync(path) });
    const body = text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .slice(2);
    expect(body[0]).toBe(toSingleLine(FIXTURE.segments[0]?.text ?? ''));
    expect(body.some((line) => line.startsWith('['))).toBe(false);
    expect(body.some((line) => line.includes('김민지:'))).toBe(false);
  });
});
