/**
 * The one rule for a name Verbatim gives a file (an export named after a meeting's title, an upload kept
 * under the name the browser sent, a transcript named after its input): the same text gives the same
 * name on every path, and the name is valid on Linux, macOS and Windows.
 *
 * - NFC, so a title typed on macOS (NFD Hangul) and one typed elsewhere name the same file;
 * - no path separators or characters Windows reserves (`<>:"/\|?*` become `_`), no control characters,
 *   no bidirectional controls (U+202E can make `exe.srt` read as `trs.exe`), whitespace runs as one space;
 * - no leading dot (never a hidden file) and no trailing dots or spaces (Windows drops them);
 * - not a reserved Windows device name (CON, NUL, COM1, LPT1 …, with or without an extension);
 * - at most MAX_NAME_BYTES of UTF-8, cut between user-perceived characters (a syllable, an emoji with
 *   its modifiers), the extension kept.
 */

/**
 * Every file system Verbatim runs on allows 255 bytes (ext4, APFS) or 255 UTF-16 units (NTFS), and a UTF-8
 * byte count is never below the UTF-16 count. 200 leaves room for what is appended to a name on its way to
 * disk: the temporary names of atomic writes (see tempFileName) and a browser's `.crdownload`.
 */
export const MAX_NAME_BYTES = 200;
/** Longer "extensions" are part of the name (`minutes.of the board`). */
const MAX_EXTENSION_BYTES = 16;

const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/gu;
const RESERVED_CHARACTERS = /[<>:"/\\|?*]/gu;
const CONTROL_CHARACTERS = /\p{Cc}/gu;
/** Half a surrogate pair is not a character; file systems store it as U+FFFD or refuse it. */
const LONE_SURROGATES = /\p{Cs}/gu;
const WHITESPACE = /\s+/gu;
const WINDOWS_DEVICE = /^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])$/iu;
const EXTENSION = /^[\p{L}\p{N}]+$/u;

export interface SafeFileNameOptions {
  /** Appended after a dot (`srt`); when absent, the name's own extension, if it has one, is kept. */
  extension?: string | undefined;
  /** The name when nothing usable is left of the text (an empty or all-dots title). */
  fallback: string;
  maxBytes?: number | undefined;
}

export function safeFileName(text: string, options: SafeFileNameOptions): string {
  let name = once(text, options);
  // A cut can end a name in what reads as an extension (`…..nul`); settling it makes the rule idempotent:
  // a safe name is kept as it is, wherever it goes next.
  for (let round = 0; round < 4; round++) {
    const again = once(name, { fallback: options.fallback, maxBytes: options.maxBytes });
    if (again === name) break;
    name = again;
  }
  return name;
}

function once(text: string, options: SafeFileNameOptions): string {
  const maxBytes = options.maxBytes ?? MAX_NAME_BYTES;
  const cleaned = clean(text);
  const [stem, ownExtension] = options.extension === undefined ? splitExtension(cleaned) : [cleaned, ''];
  const extension = options.extension === undefined ? ownExtension : clean(options.extension).replace(/^\.+/u, '');
  const suffix = extension === '' ? '' : `.${extension}`;
  const budget = Math.max(1, maxBytes - utf8Bytes(suffix));
  let base = trimEnds(cutToBytes(trimEnds(stem), budget)) || trimEnds(cutToBytes(trimEnds(clean(options.fallback)), budget)) || 'file';
  // Windows reserves the device name before the first dot, whatever follows.
  if (WINDOWS_DEVICE.test((base.split('.')[0] ?? '').trim())) base = trimEnds(cutToBytes(`_${base}`, budget));
  return `${base}${suffix}`;
}

/**
 * A hidden temporary name next to `finalName` for an atomic write (written, flushed, then renamed), short
 * enough for the file system whatever the final name's length.
 */
export function tempFileName(finalName: string, unique: string): string {
  return `.${cutToBytes(finalName, MAX_NAME_BYTES)}.${unique}.tmp`;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The longest prefix of whole user-perceived characters within `maxBytes` of UTF-8. */
export function cutToBytes(text: string, maxBytes: number): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  let kept = '';
  let bytes = 0;
  for (const { segment } of graphemes.segment(text)) {
    const size = utf8Bytes(segment);
    if (bytes + size > maxBytes) break;
    kept += segment;
    bytes += size;
  }
  return kept;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function clean(text: string): string {
  // Normalized last: a mark left next to a letter by a removed character composes with it, once and for all.
  return text
    .replace(WHITESPACE, ' ')
    .replace(CONTROL_CHARACTERS, '')
    .replace(LONE_SURROGATES, '')
    .replace(BIDI_CONTROLS, '')
    .replace(RESERVED_CHARACTERS, '_')
    .replace(/ {2,}/gu, ' ')
    .normalize('NFC');
}

/** No leading dots or spaces (hidden files), no trailing ones (Windows strips them). */
function trimEnds(text: string): string {
  return text.replace(/^[. ]+/u, '').replace(/[. ]+$/u, '');
}

/** `name.ext` → [name, ext] when the part after the last dot looks like an extension; a leading dot starts no extension. */
function splitExtension(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return [name, ''];
  const extension = name.slice(dot + 1);
  if (!EXTENSION.test(extension) || utf8Bytes(extension) > MAX_EXTENSION_BYTES) return [name, ''];
  return [name.slice(0, dot), extension];
}
