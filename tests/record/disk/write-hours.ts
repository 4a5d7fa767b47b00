import { CrashSafeWavWriter } from '../../../src-main/record/disk/crash-safe-wav-writer';
import type { WavSampleFormat } from '../../../src-main/record/disk/wav-format';
import { leastSquaresSlope } from '../../support/session-doubles';

export interface WriteHoursOptions {
  dir: string;
  hours: number;
  sampleRate: number;
  channels: number;
  sampleFormat: WavSampleFormat;
  /** Frames per write call, as a capture callback delivers them (10 ms is typical). */
  chunkMs: number;
  maxSegmentBytes?: number | undefined;
  /** RSS samples over the run. */
  samples?: number;
}

export interface WriteHoursResult {
  writeCalls: number;
  frames: number;
  paths: string[];
  wallMs: number;
  /** [audio hours written, RSS in MB] after a GC, from start to end. */
  rss: [number, number][];
  /** Least-squares RSS slope over the run after its first 10 %, MB per hour of audio. */
  rssSlopeMbPerHour: number;
  /** Highest RSS after the first 10 % minus RSS at that point, MB. */
  rssGrowthMb: number;
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const gc = (globalThis as { gc?: () => void }).gc;

function rssMb(): number {
  gc?.();
  return process.memoryUsage.rss() / 2 ** 20;
}

/** Writes `hours` of audio as fast as the writer takes it, in capture-sized calls, sampling RSS. */
export async function writeHours(options: WriteHoursOptions): Promise<WriteHoursResult> {
  const chunkFrames = Math.round((options.sampleRate * options.chunkMs) / 1000);
  const writeCalls = Math.round((options.hours * 3600 * 1000) / options.chunkMs);
  const sampleEvery = Math.max(1, Math.floor(writeCalls / (options.samples ?? 48)));
  // A few distinct chunks, cycled: the writer must not care, and the test must not measure its own garbage.
  const chunks = Array.from({ length: 7 }, (_, k) =>
    Float32Array.from({ length: chunkFrames * options.channels }, (_, i) => 0.5 * Math.sin((i + k) / 9)),
  );
  const opened = await CrashSafeWavWriter.open({
    dir: options.dir,
    name: 'long',
    format: { sampleRate: options.sampleRate, channels: options.channels },
    sampleFormat: options.sampleFormat,
    maxSegmentBytes: options.maxSegmentBytes,
  });
  if (!opened.ok) throw new Error(opened.error.message);
  const writer = opened.value;
  const rss: [number, number][] = [[0, rssMb()]];
  const started = performance.now();
  for (let call = 1; call <= writeCalls; call += 1) {
    const written = writer.write(chunks[call % chunks.length] as Float32Array);
    if (!written.ok) throw new Error(written.error.message);
    // Let the flush timer and fdatasync completions run, as between real capture callbacks.
    if (call % 500 === 0) await settle();
    if (call % sampleEvery === 0) rss.push([(call * options.chunkMs) / 3_600_000, rssMb()]);
  }
  const finalized = await writer.finalize();
  if (!finalized.ok) throw new Error(finalized.error.message);
  const wallMs = performance.now() - started;
  const steady = rss.filter(([hours]) => hours >= options.hours * 0.1);
  const base = steady[0]?.[1] ?? 0;
  return {
    writeCalls,
    frames: finalized.value.frames,
    paths: finalized.value.paths,
    wallMs,
    rss,
    rssSlopeMbPerHour: leastSquaresSlope(steady),
    rssGrowthMb: Math.max(...steady.map(([, mb]) => mb)) - base,
  };
}
