import { open } from 'node:fs/promises';

/**
 * Recognises the first bytes of common audio/video containers. Used only after ffprobe failed,
 * to tell "a media file that is damaged" (TRUNCATED_OR_CORRUPT) from "not media at all" (NOT_MEDIA).
 */
export function looksLikeMedia(head: Uint8Array): boolean {
  const ascii = (from: number, to: number): string => String.fromCharCode(...head.subarray(from, to));
  if (head.length < 4) return false;
  const b0 = head[0] ?? 0;
  const b1 = head[1] ?? 0;
  const first4 = ascii(0, 4);
  if (['RIFF', 'RF64', 'BW64', 'fLaC', 'OggS', 'FORM', 'caff', '#!AM', 'wvpk', 'MAC ', '.snd'].includes(first4)) return true;
  if (ascii(0, 3) === 'ID3') return true;
  // MPEG audio / ADTS AAC frame sync: 11 set bits.
  if (b0 === 0xff && (b1 & 0xe0) === 0xe0) return true;
  // Matroska / WebM EBML header.
  if (b0 === 0x1a && b1 === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return true;
  // ASF / WMA header GUID prefix.
  if (b0 === 0x30 && b1 === 0x26 && head[2] === 0xb2 && head[3] === 0x75) return true;
  // ISO BMFF / QuickTime: a box type at offset 4.
  if (head.length >= 8 && ['ftyp', 'moov', 'mdat', 'free', 'wide', 'skip', 'pnot'].includes(ascii(4, 8))) return true;
  return false;
}

export async function readHead(path: string, bytes: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * For RIFF/WAVE: true when the data chunk declares more bytes than the file holds
 * (a recording cut off mid-write). Streaming writers put 0 or 0xFFFFFFFF there; those are not "truncated".
 */
export function wavDeclaresMoreThan(head: Uint8Array, fileSize: number): boolean {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const tag = (at: number): string => String.fromCharCode(...head.subarray(at, at + 4));
  if (head.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return false;
  let offset = 12;
  while (offset + 8 <= head.length) {
    const size = view.getUint32(offset + 4, true);
    if (tag(offset) === 'data') {
      if (size === 0 || size === 0xffffffff) return false;
      return offset + 8 + size > fileSize;
    }
    offset += 8 + size + (size % 2);
  }
  return false;
}
