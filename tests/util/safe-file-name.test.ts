/**
 * The one file-name rule (src-main/util/safe-file-name.ts): long Hangul, NFD Korean, emoji, dot-prefixed
 * titles, bidi overrides, control characters and Windows device names, checked by rule and by creating
 * every name on the real file system. The paths that use it (exports, export jobs, uploads, CLI
 * transcripts) have their own tests: tests/jobs/handlers/export-names.test.ts, tests/bridge/upload-names.test.ts,
 * tests/cli/transcribe-cli.test.ts.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cutToBytes, MAX_NAME_BYTES, safeFileName, tempFileName, utf8Bytes } from '../../src-main/util/safe-file-name';
import { seededRandom } from '../export/fixtures';
import { expectSafeName, HOSTILE_TITLES } from '../support/hostile-names';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verbatim-names-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('safeFileName', () => {
  it('keeps long Hangul whole syllables within the byte limit, extension kept', () => {
    const name = safeFileName(HOSTILE_TITLES.longHangul, { extension: 'srt', fallback: 'transcript' });
    expectSafeName(name);
    expect(name.endsWith('.srt')).toBe(true);
    expect(HOSTILE_TITLES.longHangul.startsWith(name.slice(0, -4))).toBe(true);
    // As close to the limit as whole syllables allow (3 bytes each).
    expect(utf8Bytes(name)).toBeGreaterThan(MAX_NAME_BYTES - 4);
  });

  it('names NFD and NFC Korean alike', () => {
    const fromNfd = safeFileName(HOSTILE_TITLES.nfdKorean, { extension: 'vtt', fallback: 'transcript' });
    expect(fromNfd).toBe('회의록 요약.vtt');
    expect(fromNfd).toBe(safeFileName(HOSTILE_TITLES.nfdKorean.normalize('NFC'), { extension: 'vtt', fallback: 'transcript' }));
  });

  it('never cuts an emoji sequence (ZWJ, flags) in half', () => {
    const name = safeFileName(HOSTILE_TITLES.emoji, { extension: 'md', fallback: 'transcript' });
    expectSafeName(name);
    const stem = name.slice(0, -3).trimEnd();
    expect(HOSTILE_TITLES.emoji.startsWith(stem)).toBe(true);
    const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(stem)].map((part) => part.segment);
    expect(graphemes.join('')).toBe(stem);
    expect(['👩‍💻', '🇰🇷', '회', '의', '팀', ' ']).toEqual(expect.arrayContaining([...new Set(graphemes)]));
  });

  it('makes no hidden file of a dot-prefixed title, on every kind of name', () => {
    expect(safeFileName('.notes', { extension: 'srt', fallback: 'transcript' })).toBe('notes.srt');
    expect(safeFileName('.notes.srt', { fallback: 'upload' })).toBe('notes.srt');
    expect(safeFileName('...', { extension: 'txt', fallback: 'transcript' })).toBe('transcript.txt');
    expect(safeFileName(' . hidden', { fallback: 'upload' })).toBe('hidden');
  });

  it('drops bidi overrides and control characters, replaces reserved characters', () => {
    expect(safeFileName(HOSTILE_TITLES.bidiOverride, { extension: 'srt', fallback: 'transcript' })).toBe('invoicetxt.exe.srt');
    expect(safeFileName(HOSTILE_TITLES.control, { extension: 'txt', fallback: 'transcript' })).toBe('lineone two[31m.txt');
    expect(safeFileName(HOSTILE_TITLES.reservedCharacters, { extension: 'txt', fallback: 'transcript' })).toBe(
      'Board 3_4_ budget_ _draft_ _final_ _a_b_.txt',
    );
    expect(safeFileName('trailing dots...', { extension: 'txt', fallback: 'transcript' })).toBe('trailing dots.txt');
  });

  it('prefixes reserved Windows device names, with or without an extension', () => {
    for (const [title, expected] of [
      ['CON', '_CON.srt'],
      ['nul', '_nul.srt'],
      ['com1', '_com1.srt'],
      ['LPT9.notes', '_LPT9.notes.srt'],
      ['Aux ', '_Aux.srt'],
      ['CONSOLE', 'CONSOLE.srt'],
    ]) {
      expect(safeFileName(title as string, { extension: 'srt', fallback: 'transcript' }), title).toBe(expected);
    }
    expect(safeFileName('prn.wav', { fallback: 'upload' })).toBe('_prn.wav');
  });

  it('keeps an upload’s own extension when it cuts a long name', () => {
    const name = safeFileName(`${'회의록'.repeat(100)}.m4a`, { fallback: 'upload' });
    expectSafeName(name);
    expect(name.endsWith('.m4a')).toBe(true);
  });

  it('gives names the file system takes as they are, and temporary names that fit beside them (seeded)', async () => {
    const seed = 20261124;
    const random = seededRandom(seed);
    const alphabet = [...'aZ09 .-_회의록👩‍💻🇰🇷é\u0301\u202E\u200F\u0000\u001f/\\:*?"<>|', '\uD800', 'CON', 'nul', '.', '..'];
    const names = new Set<string>();
    for (const [index, title] of [
      ...Object.values(HOSTILE_TITLES),
      ...Array.from({ length: 300 }, () =>
        Array.from({ length: Math.floor(random() * 150) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''),
      ),
    ].entries()) {
      const name = safeFileName(title, { extension: index % 2 === 0 ? 'srt' : undefined, fallback: 'transcript' });
      expectSafeName(name, `${JSON.stringify(title)} (seed ${seed})`);
      // Idempotent: a name already safe stays as it is.
      expect(safeFileName(name, { fallback: 'x' })).toBe(name);
      names.add(name);
    }
    for (const name of names) {
      await writeFile(join(dir, name), name);
      await writeFile(join(dir, tempFileName(name, `${process.pid}.deadbeef`)), '');
    }
    const onDisk = new Set(await readdir(dir));
    for (const name of names) expect(onDisk.has(name), name).toBe(true);
  });

  it('cuts text at grapheme boundaries within a byte budget', () => {
    expect(cutToBytes('가나다', 7)).toBe('가나');
    expect(cutToBytes('👩‍💻x', 10)).toBe('');
    expect(cutToBytes('abc', 3)).toBe('abc');
  });
});
