import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FfmpegAudioDecoder } from '../../src-main/audio/decoder';
import { audioFile, bestCorrelation, decodeAll, ffmpeg, makeTempDir, realDecoder } from './helpers';

const JFK_SECONDS = 11.0;

/** Containers generated from jfk.wav at test time: name → ffmpeg output arguments. */
const GENERATED: Record<string, string[]> = {
  'jfk.m4a': ['-c:a', 'aac', '-b:a', '64k'],
  'jfk.aac': ['-c:a', 'aac', '-b:a', '64k', '-f', 'adts'],
  'jfk.ogg': ['-c:a', 'libopus', '-b:a', '32k'],
  'jfk.opus': ['-c:a', 'libopus', '-b:a', '32k'],
  'jfk.webm': ['-c:a', 'libopus', '-b:a', '32k'],
  'jfk-vorbis.ogg': ['-c:a', 'libvorbis', '-q:a', '3'],
};
const WITH_VIDEO: Record<string, string[]> = {
  'jfk.mp4': ['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
  'jfk.mkv': ['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'libvorbis'],
  'jfk.mov': ['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
};

function ffmpegChildren(): string[] {
  const out = execFileSync('ps', ['-o', 'pid=,stat=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes('ffmpeg'));
}

describe('FfmpegAudioDecoder on real files', () => {
  let decoder: FfmpegAudioDecoder;
  let dir = '';
  let cleanup: () => Promise<void> = async () => {};
  let reference: Float32Array = new Float32Array(0);

  beforeAll(async () => {
    decoder = realDecoder();
    ({ dir, cleanup } = await makeTempDir('decode'));
    const source = audioFile('jfk.wav');
    await Promise.all([
      ...Object.entries(GENERATED).map(([name, args]) => ffmpeg(decoder, ['-i', source, ...args, path.join(dir, name)])),
      ...Object.entries(WITH_VIDEO).map(([name, args]) =>
        ffmpeg(decoder, ['-f', 'lavfi', '-i', `color=black:s=64x64:r=10:d=${JFK_SECONDS}`, '-i', source, ...args, path.join(dir, name)]),
      ),
    ]);
    reference = await decodeAll(decoder, source);
  }, 60_000);
  afterAll(() => cleanup());

  it('decodes jfk.wav to 11.0 s of 16 kHz mono float32', async () => {
    expect(reference.length).toBe(JFK_SECONDS * 16000);
    const peak = reference.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
    expect(peak).toBeGreaterThan(0.1);
    expect(peak).toBeLessThanOrEqual(1);
  });

  const shared = ['jfk.mp3', 'jfk.flac'];
  const generated = [...Object.keys(GENERATED), ...Object.keys(WITH_VIDEO)];
  it.each([...shared, ...generated])('%s: probes, decodes to ≈ 11 s, and matches jfk.wav', async (name) => {
    const file = shared.includes(name) ? audioFile(name) : path.join(dir, name);
    const probed = await decoder.probe(file);
    expect(probed.ok, JSON.stringify(probed)).toBe(true);
    // Raw ADTS has no duration field: ffprobe estimates it from the bitrate, roughly.
    const tolerance = name.endsWith('.aac') ? 2 : 0.3;
    if (probed.ok && probed.value.durationSeconds !== null) {
      expect(Math.abs(probed.value.durationSeconds - JFK_SECONDS)).toBeLessThan(tolerance);
    }
    const samples = await decodeAll(decoder, file);
    expect(Math.abs(samples.length / 16000 - JFK_SECONDS)).toBeLessThan(0.15);
    expect(bestCorrelation(reference, samples)).toBeGreaterThan(0.9);
  });

  it('yields chunks of the requested size with absolute start samples', async () => {
    const starts: number[] = [];
    const sizes: number[] = [];
    for await (const item of decoder.decode(audioFile('jfk.wav'), { chunkSamples: 48000 })) {
      if (!item.ok) throw new Error(item.error.message);
      starts.push(item.value.startSample);
      sizes.push(item.value.samples.length);
    }
    expect(starts).toEqual([0, 48000, 96000, 144000]);
    expect(sizes).toEqual([48000, 48000, 48000, 176000 - 144000]);
  });

  it('stops ffmpeg when aborted mid-stream and reports CANCELLED', async () => {
    const controller = new AbortController();
    const items: string[] = [];
    for await (const item of decoder.decode(audioFile('jfk.flac'), { chunkSamples: 1600, signal: controller.signal })) {
      items.push(item.ok ? 'chunk' : item.error.code);
      if (items.length === 2) controller.abort();
    }
    expect(items.slice(0, 2)).toEqual(['chunk', 'chunk']);
    expect(items[items.length - 1]).toBe('CANCELLED');
    expect(items.length).toBeLessThan(5);
    expect(ffmpegChildren()).toEqual([]);
  });

  it('kills ffmpeg when the consumer stops iterating early', async () => {
    for await (const item of decoder.decode(audioFile('jfk.flac'), { chunkSamples: 1600 })) {
      expect(item.ok).toBe(true);
      break;
    }
    expect(ffmpegChildren()).toEqual([]);
  });

  it('yields CANCELLED without starting ffmpeg when the signal is already aborted', async () => {
    const items = [];
    for await (const item of decoder.decode(audioFile('jfk.wav'), { signal: AbortSignal.abort() })) items.push(item);
    expect(items).toHaveLength(1);
    expect(items[0]?.ok === false && items[0].error.code).toBe('CANCELLED');
  });
});
