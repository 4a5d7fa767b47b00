import { fail, ok, type Result } from '../../../src-shared/result';

/**
 * `s16` (default): 16-bit PCM. Half the disk of float (8 h of 48 kHz stereo: 5.5 GB instead of 11 GB),
 * read by every player, editor and ffmpeg build, and 96 dB of range is far beyond any meeting
 * microphone's noise floor; the capture's float samples are clamped to [-1, 1] and rounded.
 * `f32`: IEEE float, bit-exact copy of the capture, for when disk is no concern.
 */
export type WavSampleFormat = 's16' | 'f32';

export interface WavLayout {
  sampleRate: number;
  channels: number;
  sampleFormat: WavSampleFormat;
}

export interface WavHeader {
  bytes: Buffer;
  /** Offset of the 32-bit `data` chunk size; the RIFF size is always at offset 4. */
  dataSizeOffset: number;
  /** Offset of the first sample byte (= header length). */
  dataStart: number;
  blockAlign: number;
}

export const RIFF_SIZE_OFFSET = 4;
/** RIFF sizes are unsigned 32-bit; the chunk size counts everything after its first 8 bytes. */
export const MAX_RIFF_FILE_BYTES = 0xffff_ffff + 8;

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
// KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT are {0000000X-0000-0010-8000-00AA00389B71}: the format tag as a
// little-endian uint32, then these 12 bytes.
const SUBFORMAT_TAIL = Buffer.from([0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]);

export function bytesPerSample(format: WavSampleFormat): number {
  return format === 's16' ? 2 : 4;
}

export function blockAlignOf(layout: WavLayout): number {
  return layout.channels * bytesPerSample(layout.sampleFormat);
}

export function validateLayout(layout: WavLayout): Result<WavLayout, 'BAD_FORMAT'> {
  const { sampleRate, channels, sampleFormat } = layout;
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > 768_000) {
    return fail('BAD_FORMAT', `sample rate ${sampleRate} is not a whole number of Hz in 1..768000`);
  }
  if (!Number.isInteger(channels) || channels < 1 || channels > 64) {
    return fail('BAD_FORMAT', `channel count ${channels} is not in 1..64`);
  }
  if (sampleFormat !== 's16' && sampleFormat !== 'f32') return fail('BAD_FORMAT', `unknown sample format ${String(sampleFormat)}`);
  return ok(layout);
}

/**
 * The header of an empty WAV: sizes say "no samples yet" and are patched as data is appended.
 * More than 2 channels use WAVE_FORMAT_EXTENSIBLE with channel mask 0 ("no speaker positions"):
 * the channels of a capture interface are microphones, and declaring a speaker layout would make
 * players and ffmpeg downmix by speaker rules (5.1 would drop its "LFE" microphone from a mono mix).
 * No `fact` chunk for float: ffmpeg and players do not need it, and it would be one more field to patch.
 */
export function buildWavHeader(layout: WavLayout): WavHeader {
  const sampleBytes = bytesPerSample(layout.sampleFormat);
  const blockAlign = layout.channels * sampleBytes;
  const extensible = layout.channels > 2;
  const float = layout.sampleFormat === 'f32';
  const fmtSize = extensible ? 40 : float ? 18 : 16;
  const dataStart = 12 + 8 + fmtSize + 8;
  const header = Buffer.alloc(dataStart);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(dataStart - 8, RIFF_SIZE_OFFSET);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(fmtSize, 16);
  header.writeUInt16LE(extensible ? WAVE_FORMAT_EXTENSIBLE : float ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM, 20);
  header.writeUInt16LE(layout.channels, 22);
  header.writeUInt32LE(layout.sampleRate, 24);
  header.writeUInt32LE(layout.sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(sampleBytes * 8, 34);
  if (fmtSize > 16) header.writeUInt16LE(fmtSize - 18, 36); // cbSize
  if (extensible) {
    header.writeUInt16LE(sampleBytes * 8, 38); // wValidBitsPerSample
    header.writeUInt32LE(0, 40); // dwChannelMask
    header.writeUInt32LE(float ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM, 44);
    SUBFORMAT_TAIL.copy(header, 48);
  }
  header.write('data', dataStart - 8, 'ascii');
  header.writeUInt32LE(0, dataStart - 4);
  return { bytes: header, dataSizeOffset: dataStart - 4, dataStart, blockAlign };
}

export interface ParsedWavHeader extends WavHeader {
  layout: WavLayout;
  declaredRiffBytes: number;
  declaredDataBytes: number;
}

export type WavParseCode = 'NOT_WAV' | 'NO_DATA_CHUNK' | 'UNSUPPORTED_WAV';

/** Walks the chunks of a WAV's first bytes to the start of `data`; sizes are reported, not trusted. */
export function parseWavHeader(head: Buffer): Result<ParsedWavHeader, WavParseCode> {
  if (head.length < 12 || head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE') {
    return fail('NOT_WAV', 'no RIFF/WAVE signature');
  }
  let layout: WavLayout | undefined;
  let offset = 12;
  while (offset + 8 <= head.length) {
    const id = head.toString('ascii', offset, offset + 4);
    const size = head.readUInt32LE(offset + 4);
    if (id === 'data') {
      if (!layout) return fail('UNSUPPORTED_WAV', '`data` chunk before `fmt `');
      return ok({
        bytes: head.subarray(0, offset + 8),
        dataSizeOffset: offset + 4,
        dataStart: offset + 8,
        blockAlign: blockAlignOf(layout),
        layout,
        declaredRiffBytes: head.readUInt32LE(RIFF_SIZE_OFFSET),
        declaredDataBytes: size,
      });
    }
    if (id === 'fmt ') {
      if (offset + 8 + 16 > head.length) break;
      const parsed = parseFmt(head.subarray(offset + 8, offset + 8 + Math.min(size, 40)));
      if (!parsed.ok) return parsed;
      layout = parsed.value;
    }
    offset += 8 + size + (size % 2);
  }
  return fail('NO_DATA_CHUNK', 'no `data` chunk in the header bytes');
}

function parseFmt(fmt: Buffer): Result<WavLayout, 'UNSUPPORTED_WAV'> {
  let tag = fmt.readUInt16LE(0);
  const channels = fmt.readUInt16LE(2);
  const sampleRate = fmt.readUInt32LE(4);
  const bits = fmt.readUInt16LE(14);
  if (tag === WAVE_FORMAT_EXTENSIBLE && fmt.length >= 26) tag = fmt.readUInt16LE(24);
  const sampleFormat = tag === WAVE_FORMAT_PCM && bits === 16 ? 's16' : tag === WAVE_FORMAT_IEEE_FLOAT && bits === 32 ? 'f32' : undefined;
  if (!sampleFormat) return fail('UNSUPPORTED_WAV', `format tag ${tag} with ${bits} bits is not one this writer produces`);
  const layout = validateLayout({ sampleRate, channels, sampleFormat });
  return layout.ok ? layout : fail('UNSUPPORTED_WAV', layout.error.message);
}
