import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FfmpegAudioDecoder } from '../../src-main/audio/decoder';
import type { AudioDecoder, DecodeItem } from '../../src-main/audio/types';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED_AUDIO = process.env.VERBATIM_SHARED_AUDIO ?? path.resolve(repoRoot, '../shared/audio');
export const audioFile = (name: string): string => path.join(SHARED_AUDIO, name);

const run = promisify(execFile);

export function realDecoder(): FfmpegAudioDecoder {
  const created = FfmpegAudioDecoder.create();
  if (!created.ok) throw new Error(created.error.message);
  return created.value;
}

/** Runs the located ffmpeg to build a test input (quiet; throws on failure). */
export async function ffmpeg(decoder: FfmpegAudioDecoder, args: string[]): Promise<void> {
  await run(decoder.binaries.ffmpeg.path, ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

export async function makeTempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `verbatim-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Collects a whole decode; throws on a decode error (tests only). */
export async function decodeAll(decoder: AudioDecoder, file: string): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  let length = 0;
  for await (const item of decoder.decode(file) as AsyncIterable<DecodeItem>) {
    if (!item.ok) throw new Error(`${item.error.code}: ${item.error.message}`);
    if (item.value.startSample !== length) throw new Error(`chunk starts at ${item.value.startSample}, expected ${length}`);
    parts.push(item.value.samples);
    length += item.value.samples.length;
  }
  const all = new Float32Array(length);
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}

/** Best normalised cross-correlation of a 2 s excerpt of `a` against `b` within ±maxLag samples. */
export function bestCorrelation(a: Float32Array, b: Float32Array, maxLag = 2400): number {
  const start = 4 * 16000;
  const length = 2 * 16000;
  let best = -1;
  for (let lag = -maxLag; lag <= maxLag; lag += 1) {
    let dot = 0;
    let energyA = 0;
    let energyB = 0;
    for (let i = 0; i < length; i += 1) {
      const x = a[start + i] ?? 0;
      const y = b[start + i + lag] ?? 0;
      dot += x * y;
      energyA += x * x;
      energyB += y * y;
    }
    const value = dot / Math.sqrt(energyA * energyB || 1);
    if (value > best) best = value;
  }
  return best;
}
