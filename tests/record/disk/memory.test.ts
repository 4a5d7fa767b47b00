import { statSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { makeTempDir } from '../../audio/helpers';
import { writeHours } from './write-hours';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

// The full 8 h at 48 kHz is tests/bench/wav-writer.bench.ts; here the same 2.88 million 10 ms write
// calls of an 8-hour meeting, at 8 kHz mono (460 MB instead of 2.8 GB of disk).
it('keeps memory flat over the write calls of an 8-hour recording', async () => {
  const { dir, cleanup } = await makeTempDir('wav-memory');
  cleanups.push(cleanup);
  const result = await writeHours({ dir, hours: 8, sampleRate: 8000, channels: 1, sampleFormat: 's16', chunkMs: 10 });
  const bytes = result.paths.reduce((sum, file) => sum + statSync(file).size, 0);
  console.log(
    `8 h of write calls (${result.writeCalls}) at 8 kHz mono: ${(result.wallMs / 1000).toFixed(1)} s, ` +
      `${(bytes / 2 ** 20 / (result.wallMs / 1000)).toFixed(0)} MB/s, ${((8 * 3600 * 1000) / result.wallMs).toFixed(0)}× real time; ` +
      `RSS ${result.rss[0]?.[1].toFixed(0)} → ${result.rss.at(-1)?.[1].toFixed(0)} MB, growth after the first 10 % ${result.rssGrowthMb.toFixed(1)} MB, ` +
      `slope ${result.rssSlopeMbPerHour.toFixed(2)} MB per audio hour`,
  );
  expect(result.frames).toBe(8 * 3600 * 8000);
  expect(bytes).toBe(44 + 8 * 3600 * 8000 * 2);
  // The writer holds one fixed buffer (1 s of audio = 16 KB here); anything that grows per call would
  // show as hundreds of MB over 2.88 million calls.
  expect(result.rssGrowthMb).toBeLessThan(24);
  expect(Math.abs(result.rssSlopeMbPerHour)).toBeLessThan(2);
}, 120_000);
