/**
 * The one reading of an HTTP `Range` header, for the bridge's media route and Electron's media protocol
 * alike (RFC 9110 §14). A single `bytes` range is served; a header that is malformed, names another unit,
 * asks for several ranges or is invalid (last position before the first) is ignored and the whole file
 * is sent, as §14.2 allows; a range starting past the end, or an empty suffix, is unsatisfiable (416).
 */

export type ByteRange = { kind: 'whole' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

export function parseRangeHeader(header: string | null | undefined, size: number): ByteRange {
  if (header === null || header === undefined) return { kind: 'whole' };
  // Range units compare case-insensitively (§14.1); whitespace around the parts is tolerated.
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (match === null) return { kind: 'whole' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  // An invalid range-spec (§14.1.1): the header is ignored, not refused.
  if (last !== '' && Number(last) < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}
