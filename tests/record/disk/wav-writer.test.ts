import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CrashSafeWavWriter, type WavWriterOptions } from '../../../src-main/record/disk/crash-safe-wav-writer';
import type { RecordingSidecar } from '../../../src-main/record/disk/recording-sidecar';
import type { RecordingSink } from '../../../src-main/record/session-ports';
import { makeTempDir } from '../../audio/helpers';
import {
  counterSamples,
  decodeF32,
  decodeS16,
  expectConsistentHeader,
  firstCounterBreak,
  openFdCount,
  probe,
  seededRandom,
} from './wav-test-helpers';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function tempDir(): Promise<string> {
  const { dir, cleanup } = await makeTempDir('wav-writer');
  cleanups.push(cleanup);
  return dir;
}

async function openWriter(options: WavWriterOptions): Promise<CrashSafeWavWriter> {
  const opened = await CrashSafeWavWriter.open(options);
  if (!opened.ok) throw new Error(`${opened.error.code}: ${opened.error.message}`);
  return opened.value;
}

function mustWrite(writer: CrashSafeWavWriter, samples: Float32Array): void {
  const written = writer.write(samples);
  if (!written.ok) throw new Error(written.error.message);
}

/** Each channel its own tone, so a channel swap or a misaligned frame changes the decoded samples. */
function tones(channels: number, firstFrame: number, frames: number, rate: number): Float32Array {
  const samples = new Float32Array(frames * channels);
  for (let f = 0; f < frames; f += 1) {
    for (let c = 0; c < channels; c += 1) {
      samples[f * channels + c] = 0.8 * Math.sin((2 * Math.PI * (220 * (c + 1)) * (firstFrame + f)) / rate) * (c % 2 === 0 ? 1 : -1);
    }
  }
  return samples;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// Compile-time: the writer is what the recording session expects as its sink.
const asSink = (writer: CrashSafeWavWriter): RecordingSink => writer;
void asSink;

describe('CrashSafeWavWriter', () => {
  it('leaves a WAV that ffmpeg decodes exactly after every flush and after finalize (16-bit stereo)', async () => {
    const dir = await tempDir();
    const rate = 48_000;
    const writer = await openWriter({ dir, name: 'meeting', format: { sampleRate: rate, channels: 2 } });
    const file = path.join(dir, 'meeting.part-001.wav');
    expect(statSync(file).size).toBe(44); // a valid, empty WAV from the first moment
    expect((await decodeS16([file])).length).toBe(0);
    const random = seededRandom(7);
    let samples = 0;
    for (let round = 0; round < 5; round += 1) {
      const frames = 1000 + Math.floor(random() * 30_000);
      mustWrite(writer, counterSamples(samples, frames * 2));
      samples += frames * 2;
      expect((await writer.sync()).ok).toBe(true);
      expect(expectConsistentHeader(file).dataBytes).toBe(samples * 2);
      const decoded = await decodeS16([file]);
      expect(decoded.length).toBe(samples);
      expect(firstCounterBreak(decoded)).toBe(-1);
      expect((await probe(file)).duration_ts).toBe(samples / 2);
    }
    // The timer alone (no sync call) brings buffered frames to the file within one interval.
    mustWrite(writer, counterSamples(samples, 4800 * 2));
    samples += 4800 * 2;
    await sleep(700);
    expect(expectConsistentHeader(file).dataBytes).toBe(samples * 2);
    expect((await decodeS16([file])).length).toBe(samples);
    const finalized = await writer.finalize();
    expect(finalized).toEqual({
      ok: true,
      value: { paths: [file], frames: samples / 2, seconds: samples / 2 / rate, sidecarPath: path.join(dir, 'meeting.recording.json') },
    });
    expectConsistentHeader(file);
    const decoded = await decodeS16([file]);
    expect(decoded.length).toBe(samples);
    expect(firstCounterBreak(decoded)).toBe(-1);
    const stream = await probe(file);
    expect(stream).toMatchObject({ codec_name: 'pcm_s16le', sample_rate: '48000', channels: 2 });
    const sidecar = JSON.parse(readFileSync(path.join(dir, 'meeting.recording.json'), 'utf8')) as RecordingSidecar;
    expect(sidecar).toMatchObject({
      finalized: true,
      frames: samples / 2,
      segments: ['meeting.part-001.wav'],
      sampleFormat: 's16',
      channels: 2,
    });
    expect(readdirSync(dir).sort()).toEqual(['meeting.part-001.wav', 'meeting.recording.json']);
  });

  it('keeps float samples bit-exact and channel order intact in 32-bit float and extensible layouts', async () => {
    const dir = await tempDir();
    for (const [channels, sampleFormat] of [
      [1, 'f32'],
      [3, 'f32'],
      [6, 'f32'],
    ] as const) {
      const name = `tones-${channels}`;
      const writer = await openWriter({ dir, name, format: { sampleRate: 44_100, channels }, sampleFormat, bufferFrames: 4096 });
      const written = tones(channels, 0, 30_000, 44_100);
      // Uneven chunks, larger and smaller than the buffer.
      for (let at = 0, size = 7; at < 30_000; at += size, size = (size * 5) % 9001) {
        mustWrite(writer, written.subarray(at * channels, Math.min(30_000, at + size) * channels));
      }
      expect((await writer.sync()).ok).toBe(true);
      const file = path.join(dir, `${name}.part-001.wav`);
      expectConsistentHeader(file);
      expect(await decodeF32(file)).toEqual(written); // mid-recording
      const finalized = await writer.finalize();
      expect(finalized.ok && finalized.value.frames).toBe(30_000);
      const stream = await probe(file);
      expect(stream).toMatchObject({ codec_name: 'pcm_f32le', sample_rate: '44100', channels });
      expect(await decodeF32(file)).toEqual(written);
      // > 2 channels: WAVE_FORMAT_EXTENSIBLE with the float subformat.
      const header = readFileSync(file).subarray(0, 70);
      expect(header.readUInt16LE(20)).toBe(channels > 2 ? 0xfffe : 3);
    }
  });

  it('stores 16-bit multi-channel as WAVE_FORMAT_EXTENSIBLE PCM, rounding and clamping the floats', async () => {
    const dir = await tempDir();
    const writer = await openWriter({ dir, name: 'six', format: { sampleRate: 16_000, channels: 6 } });
    const frames = 16_000;
    const written = tones(6, 0, frames, 16_000);
    written[0] = 1.5;
    written[1] = -3;
    written[2] = Number.NaN;
    mustWrite(writer, written);
    const finalized = await writer.finalize();
    expect(finalized.ok).toBe(true);
    const file = path.join(dir, 'six.part-001.wav');
    expect(readFileSync(file).readUInt16LE(20)).toBe(0xfffe);
    expect(expectConsistentHeader(file).dataStart).toBe(68);
    expect(await probe(file)).toMatchObject({ codec_name: 'pcm_s16le', channels: 6, duration_ts: frames });
    const decoded = await decodeS16([file]);
    expect(decoded.length).toBe(frames * 6);
    const expected = Int16Array.from(written, (x) => (x >= 1 ? 32767 : x <= -1 ? -32767 : Number.isNaN(x) ? 0 : Math.round(x * 32767)));
    expect(decoded).toEqual(expected);
  });

  it('rolls over to numbered segments at the size limit; the segments join into exactly the written signal', async () => {
    const dir = await tempDir();
    // 1003 bytes: 44 header + 959 → 239 whole stereo frames per segment, 3 bytes never used.
    const writer = await openWriter({
      dir,
      name: 'rolled',
      format: { sampleRate: 8000, channels: 2 },
      maxSegmentBytes: 1003,
      bufferFrames: 100,
    });
    const random = seededRandom(11);
    let samples = 0;
    while (samples < 2 * 2390 || (samples / 2) % 239 !== 0) {
      // Ends exactly on a segment boundary: no empty segment may follow.
      const frames = samples >= 2 * 2390 ? 239 - ((samples / 2) % 239) : 1 + Math.floor(random() * 300);
      mustWrite(writer, counterSamples(samples, frames * 2));
      samples += frames * 2;
      if (random() < 0.2) expect((await writer.sync()).ok).toBe(true);
    }
    const finalized = await writer.finalize();
    if (!finalized.ok) throw new Error(finalized.error.message);
    const { paths, frames } = finalized.value;
    expect(frames).toBe(samples / 2);
    expect(paths.length).toBe(frames / 239);
    expect(paths.map((file) => path.basename(file))).toEqual(paths.map((_, i) => `rolled.part-${String(i + 1).padStart(3, '0')}.wav`));
    for (const [i, file] of paths.entries()) {
      const size = expectConsistentHeader(file).fileBytes;
      expect(size).toBeLessThanOrEqual(1003);
      if (i < paths.length - 1) expect(size).toBe(44 + 239 * 4);
      expect((await probe(file)).channels).toBe(2);
    }
    const joined = await decodeS16(paths);
    expect(joined.length).toBe(samples);
    expect(firstCounterBreak(joined)).toBe(-1);
    const sidecar = JSON.parse(readFileSync(path.join(dir, 'rolled.recording.json'), 'utf8')) as RecordingSidecar;
    expect(sidecar.segments).toEqual(paths.map((file) => path.basename(file)));
  });

  it('opens, writes and finalizes 20 times in one process without leaking a descriptor or a temp file', async () => {
    const dir = await tempDir();
    const before = openFdCount();
    for (let cycle = 0; cycle < 20; cycle += 1) {
      const writer = await openWriter({
        dir,
        name: `cycle-${cycle}`,
        format: { sampleRate: 8000, channels: 1 },
        maxSegmentBytes: 4000,
        flushIntervalMs: 10,
      });
      for (let k = 0; k < 10; k += 1) {
        mustWrite(writer, counterSamples(k * 800, 800));
        if (k % 3 === 0) await sleep(12); // let timer flushes and fdatasyncs run
      }
      const finalized = await writer.finalize();
      // 1978 frames per 4000-byte segment: 8000 frames → 5 segments.
      expect(finalized.ok && finalized.value.paths.length).toBe(5);
    }
    expect(openFdCount()).toBe(before);
    const files = readdirSync(dir);
    expect(files.filter((file) => file.endsWith('.tmp'))).toEqual([]);
    expect(files.length).toBe(20 * 6);
  });

  it('refuses a taken name, bad frames, writes after finalize and impossible options, as coded errors', async () => {
    const dir = await tempDir();
    const writer = await openWriter({ dir, name: 'taken', format: { sampleRate: 8000, channels: 2 } });
    expect(await CrashSafeWavWriter.open({ dir, name: 'taken', format: { sampleRate: 8000, channels: 2 } })).toMatchObject({
      ok: false,
      error: { code: 'RECORDING_EXISTS' },
    });
    expect(writer.write(new Float32Array(3))).toMatchObject({ ok: false, error: { code: 'BAD_FRAMES' } });
    expect((await writer.finalize()).ok).toBe(true);
    expect(writer.write(new Float32Array(2))).toMatchObject({ ok: false, error: { code: 'WRITER_CLOSED' } });
    expect(await writer.finalize()).toMatchObject({ ok: false, error: { code: 'WRITER_CLOSED' } });
    const bad: [Partial<WavWriterOptions>, string][] = [
      [{ name: '../escape' }, 'BAD_NAME'],
      [{ format: { sampleRate: 0, channels: 1 } }, 'BAD_FORMAT'],
      [{ format: { sampleRate: 8000, channels: 0 } }, 'BAD_FORMAT'],
      [{ maxSegmentBytes: 45 }, 'BAD_OPTIONS'],
      [{ maxSegmentBytes: 2 ** 33 }, 'BAD_OPTIONS'],
      [{ flushIntervalMs: 5000 }, 'BAD_OPTIONS'],
      [{ bufferFrames: 0 }, 'BAD_OPTIONS'],
    ];
    for (const [options, code] of bad) {
      const opened = await CrashSafeWavWriter.open({ dir, name: 'other', format: { sampleRate: 8000, channels: 1 }, ...options });
      expect(opened).toMatchObject({ ok: false, error: { code } });
    }
    expect(readdirSync(dir).sort()).toEqual(['taken.part-001.wav', 'taken.recording.json']);
  });
});
