import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FfmpegAudioDecoder } from '../../src-main/audio/decoder';
import { ffmpeg, makeTempDir, realDecoder } from './helpers';

const THREE_HOURS = 3 * 3600;

describe('decoding a 3-hour file', () => {
  let decoder: FfmpegAudioDecoder;
  let dir = '';
  let cleanup: () => Promise<void> = async () => {};
  let longFile = '';

  beforeAll(async () => {
    decoder = realDecoder();
    ({ dir, cleanup } = await makeTempDir('long'));
    // 10 min of low-bitrate CBR mp3 without a Xing header; mp3 frames concatenate into a valid 3 h stream.
    const piece = path.join(dir, 'ten-minutes.mp3');
    await ffmpeg(decoder, [
      '-f',
      'lavfi',
      '-i',
      'sine=f=440:r=8000:d=600',
      '-ac',
      '1',
      '-c:a',
      'libmp3lame',
      '-b:a',
      '8k',
      '-write_xing',
      '0',
      '-id3v2_version',
      '0',
      piece,
    ]);
    const bytes = await readFile(piece);
    longFile = path.join(dir, 'three-hours.mp3');
    await writeFile(longFile, Buffer.concat(Array.from({ length: 18 }, () => bytes)));
  }, 60_000);
  afterAll(() => cleanup());

  it('streams in constant memory (consumer discards chunks)', async () => {
    const probed = await decoder.probe(longFile);
    expect(probed.ok && Math.abs((probed.value.durationSeconds ?? 0) - THREE_HOURS)).toBeLessThan(10);

    let samples = 0;
    let chunks = 0;
    let baseline = 0;
    let peak = 0;
    const started = performance.now();
    for await (const item of decoder.decode(longFile)) {
      if (!item.ok) throw new Error(item.error.message);
      samples += item.value.samples.length;
      chunks += 1;
      if (chunks === 60) baseline = process.memoryUsage().rss;
      if (chunks > 60 && chunks % 100 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    const seconds = (performance.now() - started) / 1000;
    const growthMb = (peak - baseline) / 2 ** 20;
    console.log(
      `3 h mp3 decoded in ${seconds.toFixed(1)} s (${(THREE_HOURS / seconds).toFixed(0)}× real time), RSS growth ${growthMb.toFixed(1)} MB`,
    );
    expect(Math.abs(samples / 16000 - THREE_HOURS)).toBeLessThan(5);
    expect(growthMb).toBeLessThan(100);
  }, 60_000);
});
