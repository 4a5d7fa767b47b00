import { open, readdir } from 'node:fs/promises';
import type { SignalGenerator } from '../../../src-main/record/capture/synthetic-source';

/**
 * Reads the 16-bit samples after the 44-byte header in 4 MB slices and compares each with the signal as
 * the writer encodes it (round(x · 32767)); returns the first frame that differs, or -1.
 */
export async function firstMismatch(
  file: string,
  dataBytes: number,
  signal: SignalGenerator,
): Promise<{ frames: number; mismatchAt: number; ms: number }> {
  const began = performance.now();
  const handle = await open(file, 'r');
  const slice = Buffer.alloc(4 * 2 ** 20);
  const expected = new Float32Array(slice.length / 2);
  let frames = 0;
  try {
    while (frames * 2 < dataBytes) {
      const { bytesRead } = await handle.read(slice, 0, Math.min(slice.length, dataBytes - frames * 2), 44 + frames * 2);
      if (bytesRead === 0) break;
      const samples = new Int16Array(slice.buffer, slice.byteOffset, bytesRead / 2);
      const known = signal(frames, expected.subarray(0, samples.length));
      for (let i = 0; i < samples.length; i += 1) {
        if (i >= known) return { frames: frames + i, mismatchAt: frames + i, ms: performance.now() - began };
        if (samples[i] !== Math.round((expected[i] as number) * 32767))
          return { frames: frames + i, mismatchAt: frames + i, ms: performance.now() - began };
      }
      frames += samples.length;
    }
  } finally {
    await handle.close();
  }
  return { frames, mismatchAt: -1, ms: performance.now() - began };
}

/** The 44-byte header the writer puts first, read without loading the file. */
export async function readHeader(file: string): Promise<{ riffBytes: number; dataBytes: number; fileBytes: number }> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(44);
    await handle.read(head, 0, 44, 0);
    if (head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 36, 40) !== 'data')
      throw new Error(`${file}: not the writer's 44-byte WAV header`);
    return { riffBytes: head.readUInt32LE(4), dataBytes: head.readUInt32LE(40), fileBytes: (await handle.stat()).size };
  } finally {
    await handle.close();
  }
}

/** Leftover temp files (half-written sidecars) in a recordings folder. */
export async function tempFilesIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.tmp'));
}

/** Runs every cleanup in order even if one fails (a temp folder must not outlive a failed dispose); rethrows the first failure. */
export async function runCleanups(cleanups: (() => Promise<void>)[]): Promise<void> {
  let first: unknown = null;
  for (const cleanup of cleanups.splice(0)) {
    try {
      await cleanup();
    } catch (error) {
      first ??= error;
    }
  }
  if (first !== null) throw first;
}
