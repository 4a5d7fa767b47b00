import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EXPORT_FORMATS,
  fileExtension,
  isExportFormat,
  parseTranscriptJson,
  isTextExportFormat,
  renderTranscript,
  writeTranscriptFile,
} from '../../src-main/export/index';
import { FIXTURE } from './fixtures';

describe('writeTranscriptFile', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'verbatim-export-'));
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it.each(EXPORT_FORMATS.filter(isTextExportFormat))('writes %s as UTF-8 without BOM and leaves no temp file', async (format) => {
    const outPath = join(folder, `회의록.${fileExtension(format)}`);
    const result = await writeTranscriptFile(FIXTURE, format, outPath);
    expect(result.ok).toBe(true);
    const bytes = readFileSync(outPath);
    if (result.ok) expect(result.value).toEqual({ path: outPath, bytes: bytes.length });
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    expect(bytes.toString('utf8')).toBe(renderTranscript(FIXTURE, format));
    expect(readdirSync(folder)).toEqual([`회의록.${fileExtension(format)}`]);
  });

  it('replaces an existing file whole, and a JSON export re-imports', async () => {
    const outPath = join(folder, 'meeting.json');
    writeFileSync(outPath, 'old content that is longer than nothing');
    const result = await writeTranscriptFile(FIXTURE, 'json', outPath);
    expect(result.ok).toBe(true);
    expect(parseTranscriptJson(readFileSync(outPath, 'utf8'))).toEqual({ ok: true, value: FIXTURE });
  });

  it('writes the SRT BOM only when asked', async () => {
    const outPath = join(folder, 'meeting.srt');
    await writeTranscriptFile(FIXTURE, 'srt', outPath, { srtByteOrderMark: true });
    expect([...readFileSync(outPath).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('returns EXPORT_DIR_NOT_FOUND for a missing folder', async () => {
    const outPath = join(folder, 'missing', 'meeting.srt');
    const result = await writeTranscriptFile(FIXTURE, 'srt', outPath);
    expect(result).toMatchObject({ ok: false, error: { code: 'EXPORT_DIR_NOT_FOUND', subject: outPath } });
  });

  it('removes its temp file when the final rename fails', async () => {
    const outPath = join(folder, 'taken');
    mkdirSync(outPath);
    writeFileSync(join(outPath, 'inside.txt'), 'x');
    const result = await writeTranscriptFile(FIXTURE, 'txt', outPath);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('EXPORT_WRITE_FAILED');
    expect(readdirSync(folder)).toEqual(['taken']);
  });
});

describe('format registry', () => {
  it('lists every format with its extension', () => {
    expect(EXPORT_FORMATS).toEqual(['txt', 'srt', 'vtt', 'json', 'md', 'rttm', 'docx']);
    expect(EXPORT_FORMATS.map(fileExtension)).toEqual(['txt', 'srt', 'vtt', 'json', 'md', 'rttm', 'docx']);
    expect(isExportFormat('vtt')).toBe(true);
    expect(isExportFormat('docx')).toBe(true);
    expect(isExportFormat('pdf')).toBe(false);
  });
});
