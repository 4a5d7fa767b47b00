import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { realDecoder } from '../../audio/helpers';

const run = promisify(execFile);
const binaries = realDecoder().binaries;

/** Decodes a WAV with the located ffmpeg to raw little-endian samples, no resampling or remixing. */
export async function decodeRaw(file: string, sampleFormat: 's16' | 'f32'): Promise<Buffer> {
  const codec = sampleFormat === 's16' ? 's16le' : 'f32le';
  const { stdout } = await run(
    binaries.ffmpeg.path,
    ['-nostdin', '-hide_banner', '-loglevel', 'error', '-i', file, '-f', codec, '-acodec', `pcm_${codec}`, '-'],
    { encoding: 'buffer', maxBuffer: 1024 * 2 ** 20 },
  );
  return stdout;
}

export async function decodeS16(files: readonly string[]): Promise<Int16Array> {
  const parts = await Promise.all(files.map((file) => decodeRaw(file, 's16')));
  const all = Buffer.concat(parts);
  return new Int16Array(all.buffer, all.byteOffset, all.length / 2);
}

export async function decodeF32(file: string): Promise<Float32Array> {
  const raw = Buffer.from(await decodeRaw(file, 'f32')); // own, aligned copy
  return new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
}

export interface ProbedStream {
  codec_name: string;
  sample_rate: string;
  channels: number;
  duration_ts?: number;
}

export async function probe(file: string): Promise<ProbedStream> {
  const { stdout } = await run(binaries.ffprobe.path, ['-v', 'error', '-show_streams', '-of', 'json', file]);
  const stream = (JSON.parse(stdout) as { streams: ProbedStream[] }).streams[0];
  if (!stream) throw new Error(`${file}: no stream`);
  return stream;
}

/**
 * A counter in the samples: interleaved sample j holds ((j mod 65535) − 32767) / 32767, which 16-bit
 * encoding stores as exactly that integer, so any lost, doubled or reordered sample shows.
 */
export function counterSamples(firstSample: number, count: number): Float32Array {
  const samples = new Float32Array(count);
  for (let i = 0; i < count; i += 1) samples[i] = (((firstSample + i) % 65535) - 32767) / 32767;
  return samples;
}

/** Index of the first decoded sample that breaks the counter, or -1. */
export function firstCounterBreak(decoded: Int16Array): number {
  for (let j = 0; j < decoded.length; j += 1) {
    if (decoded[j] !== (j % 65535) - 32767) return j;
  }
  return -1;
}

export function openFdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Deterministic PRNG (mulberry32), so a logged seed replays a run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface HeaderSizes {
  fileBytes: number;
  riffBytes: number;
  dataStart: number;
  dataBytes: number;
}

/**
 * The sizes a WAV's header declares, read independently of the writer's own parser. ffmpeg cannot be
 * the judge of these: it reads a `data` size of 0 as "streamed, read to the end of the file".
 */
export function headerSizes(file: string): HeaderSizes {
  const bytes = readFileSync(file);
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const size = bytes.readUInt32LE(offset + 4);
    if (bytes.toString('ascii', offset, offset + 4) === 'data') {
      return { fileBytes: bytes.length, riffBytes: bytes.readUInt32LE(4), dataStart: offset + 8, dataBytes: size };
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error(`${file}: no data chunk`);
}

/** RIFF size = file size − 8 and `data` size = every byte after its header: what a finished WAV says. */
export function expectConsistentHeader(file: string): HeaderSizes {
  const sizes = headerSizes(file);
  if (sizes.riffBytes !== sizes.fileBytes - 8 || sizes.dataBytes !== sizes.fileBytes - sizes.dataStart) {
    throw new Error(
      `${file}: header says RIFF ${sizes.riffBytes}, data ${sizes.dataBytes}; file holds ${sizes.fileBytes} bytes, data from ${sizes.dataStart}`,
    );
  }
  return sizes;
}
