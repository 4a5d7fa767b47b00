/** Titles and names that have broken file naming before, and what every name made from them must satisfy. */
import { expect } from 'vitest';
import { MAX_NAME_BYTES, utf8Bytes } from '../../src-main/util/safe-file-name';

/** The titles every path that names a file is tested with. */
export const HOSTILE_TITLES = {
  longHangul: '주간 회의록 '.repeat(30).trim(),
  nfdKorean: '회의록 요약'.normalize('NFD'),
  emoji: '👩‍💻 팀 회의 🇰🇷 '.repeat(20).trim(),
  dotPrefixed: '.notes',
  bidiOverride: 'invoice\u202Etxt.exe',
  control: 'line\u0000one\ttwo\u001b[31m',
  windowsDevice: 'CON',
  reservedCharacters: 'Board 3/4: budget? <draft> "final" |a\\b*',
} as const;

const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const WINDOWS_DEVICE = /^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])$/iu;

/** What every produced name must satisfy, on every platform. */
export function expectSafeName(name: string, context = name): void {
  expect(utf8Bytes(name), context).toBeLessThanOrEqual(MAX_NAME_BYTES);
  expect(name.length, context).toBeGreaterThan(0);
  expect(name, context).toBe(name.normalize('NFC'));
  expect(name.startsWith('.'), context).toBe(false);
  expect(/[. ]$/u.test(name), context).toBe(false);
  expect(/[\p{Cc}<>:"/\\|?*]/u.test(name), context).toBe(false);
  expect(BIDI.test(name), context).toBe(false);
  expect(/\p{Cs}/u.test(name), context).toBe(false);
  expect(WINDOWS_DEVICE.test(name.split('.')[0] ?? ''), context).toBe(false);
}
