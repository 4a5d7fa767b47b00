/**
 * `npx tsx --expose-gc tests/bench/wav-writer.bench.ts [--hours 8] [--rate 48000] [--channels 1]
 * [--format s16|f32] [--chunk-ms 10] [--dir <tmp>] [--segment-bytes <n>]`: writes that much audio through
 * CrashSafeWavWriter as fast as it goes, in capture-sized calls, then deletes it. Reports wall time,
 * throughput and the RSS curve (slope, growth). The last line is one JSON object.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeHours } from '../record/disk/write-hours';

const { values } = parseArgs({
  options: {
    hours: { type: 'string', default: '8' },
    rate: { type: 'string', default: '48000' },
    channels: { type: 'string', default: '1' },
    format: { type: 'string', default: 's16' },
    'chunk-ms': { type: 'string', default: '10' },
    dir: { type: 'string', default: tmpdir() },
    'segment-bytes': { type: 'string' },
  },
});
const sampleFormat = values.format === 'f32' ? 'f32' : 's16';
const dir = mkdtempSync(path.join(values.dir, 'verbatim-wav-bench-'));
try {
  const hours = Number(values.hours);
  const result = await writeHours({
    dir,
    hours,
    sampleRate: Number(values.rate),
    channels: Number(values.channels),
    sampleFormat,
    chunkMs: Number(values['chunk-ms']),
    samples: 96,
    maxSegmentBytes: values['segment-bytes'] !== undefined ? Number(values['segment-bytes']) : undefined,
  });
  const bytes = result.paths.reduce((sum, file) => sum + statSync(file).size, 0);
  const seconds = result.wallMs / 1000;
  const rssValues = result.rss.map(([, mb]) => mb);
  for (const [audioHours, mb] of result.rss.filter((_, i) => i % 12 === 0))
    console.log(`${audioHours.toFixed(2)} h written: RSS ${mb.toFixed(1)} MB`);
  const summary = {
    bench: 'wav-writer',
    hours,
    sampleRate: Number(values.rate),
    channels: Number(values.channels),
    sampleFormat,
    chunkMs: Number(values['chunk-ms']),
    writeCalls: result.writeCalls,
    segments: result.paths.length,
    gigabytes: Number((bytes / 1e9).toFixed(3)),
    wallSeconds: Number(seconds.toFixed(2)),
    megabytesPerSecond: Number((bytes / 2 ** 20 / seconds).toFixed(1)),
    realTimeFactor: Number(((hours * 3600) / seconds).toFixed(0)),
    rssStartMb: Number((rssValues[0] ?? 0).toFixed(1)),
    rssPeakMb: Number(Math.max(...rssValues).toFixed(1)),
    rssEndMb: Number((rssValues.at(-1) ?? 0).toFixed(1)),
    rssGrowthMb: Number(result.rssGrowthMb.toFixed(1)),
    rssSlopeMbPerHour: Number(result.rssSlopeMbPerHour.toFixed(3)),
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
  };
  console.log(JSON.stringify(summary));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
