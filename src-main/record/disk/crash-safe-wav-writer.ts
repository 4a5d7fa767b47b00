import { close, closeSync, fdatasync, fsync, openSync, rmSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { endianness } from 'node:os';
import path from 'node:path';
import { errorMessage } from '../../../src-shared/errors';
import type { CodedError, Result } from '../../../src-shared/result';
import { fail, ok } from '../../../src-shared/result';
import type { CaptureFormat } from '../capture-types';
import { currentProcessIdentity, fsyncDirectory, writeAllSync } from './durable-fs';
import { segmentFileName, sidecarPath, validateRecordingName, writeSidecar, type RecordingSidecar } from './recording-sidecar';
import { cleanTempFiles } from './temp-files';
import {
  buildWavHeader,
  MAX_RIFF_FILE_BYTES,
  RIFF_SIZE_OFFSET,
  validateLayout,
  type WavHeader,
  type WavLayout,
  type WavSampleFormat,
} from './wav-format';
import { inBackground } from '../../util/background';

export type WavWriterErrorCode =
  'BAD_FORMAT' | 'BAD_NAME' | 'BAD_OPTIONS' | 'BAD_FRAMES' | 'RECORDING_EXISTS' | 'DISK_WRITE_FAILED' | 'WRITER_CLOSED';

export interface WavWriterOptions {
  dir: string;
  /** Base name: files are `<name>.part-001.wav`, `<name>.part-002.wav`, … and `<name>.recording.json`. */
  name: string;
  format: CaptureFormat;
  sampleFormat?: WavSampleFormat;
  /** How often buffered audio reaches the file and the header is patched (10–1000 ms, default 500). */
  flushIntervalMs?: number;
  /** Capacity of the in-memory buffer in frames (default: 1 s of audio); a full buffer is written at once. */
  bufferFrames?: number;
  /** Largest segment file in bytes (default 2 GiB − 1); the next frames go to a new segment. */
  maxSegmentBytes?: number | undefined;
  /** Disk faults found outside `write` (timer flush, fdatasync); they also fail every later call. */
  onError?: (error: CodedError<WavWriterErrorCode>) => void;
}

export interface FinalizedRecording {
  paths: string[];
  frames: number;
  seconds: number;
  sidecarPath: string;
}

/**
 * Half the 1 s loss budget: a process crash loses what sits in memory, at most one interval plus
 * however long the event loop was late; the other half absorbs that lateness.
 */
export const DEFAULT_FLUSH_INTERVAL_MS = 500;
/**
 * Segments instead of RF64: every segment is a plain WAV that any player, editor, browser and ffmpeg
 * build opens, whereas RF64 is read by ffmpeg and pro-audio tools but not by many players; a crash can
 * only ever touch the last segment; and recovery stays the simple 32-bit rule. 2 GiB, not 4, because
 * some readers treat the RIFF sizes as signed. Segments split at whole frames, so they join seamlessly.
 */
export const DEFAULT_MAX_SEGMENT_BYTES = 2 ** 31 - 1;

interface OpenSegment {
  index: number;
  path: string;
  fd: number;
  framesOnDisk: number;
}

const OK_VOID: { ok: true; value: undefined } = Object.freeze({ ok: true as const, value: undefined });

/**
 * Append-only WAV recorder that survives `kill -9` and power loss with at most one flush interval lost.
 * `write` only copies into a fixed buffer (hot path). Every interval (or when the buffer is full) the
 * buffered frames are appended with one positional write, then the RIFF and `data` sizes (8 bytes) are
 * patched, then an fdatasync runs on libuv's thread pool so the event loop never waits for the disk.
 * Written audio is never rewritten. Pause = stop calling `write`.
 */
export class CrashSafeWavWriter {
  private readonly buffer: Buffer;
  private readonly samplesS16: Int16Array;
  private readonly samplesF32: Float32Array;
  private readonly sizeField = Buffer.alloc(4);
  private readonly timer: NodeJS.Timeout;
  private readonly segmentCapacityFrames: number;
  private readonly paths: string[];
  private segment: OpenSegment;
  private bufferedFrames = 0;
  private framesInClosedSegments = 0;
  private unsynced = true;
  private syncInFlight = false;
  private closed = false;
  private failure: { ok: false; error: CodedError<WavWriterErrorCode> } | undefined;
  /** fdatasync, close and sidecar updates, in order; never rejects. */
  private diskQueue: Promise<void> = Promise.resolve();

  private constructor(
    private readonly dir: string,
    private readonly name: string,
    readonly layout: WavLayout,
    private readonly header: WavHeader,
    private readonly capacityFrames: number,
    private readonly maxSegmentBytes: number,
    flushIntervalMs: number,
    first: OpenSegment,
    private readonly startedAt: string,
    private readonly onError: ((error: CodedError<WavWriterErrorCode>) => void) | undefined,
  ) {
    this.buffer = Buffer.allocUnsafeSlow(capacityFrames * header.blockAlign);
    this.samplesS16 = new Int16Array(this.buffer.buffer, this.buffer.byteOffset, this.buffer.length / 2);
    this.samplesF32 = new Float32Array(this.buffer.buffer, this.buffer.byteOffset, Math.floor(this.buffer.length / 4));
    this.segmentCapacityFrames = Math.floor((maxSegmentBytes - header.dataStart) / header.blockAlign);
    this.segment = first;
    this.paths = [first.path];
    this.timer = setInterval(() => this.tick(), flushIntervalMs);
    // Never the reason a process stays up; the capture keeps it alive while recording.
    this.timer.unref();
  }

  /** Creates the first segment (header included, fsynced) and the sidecar; fails if the name is taken. */
  static async open(options: WavWriterOptions): Promise<Result<CrashSafeWavWriter, WavWriterErrorCode>> {
    const name = validateRecordingName(options.name);
    if (!name.ok) return name;
    const layout = validateLayout({ ...options.format, sampleFormat: options.sampleFormat ?? 's16' });
    if (!layout.ok) return layout;
    // Samples are laid out with typed arrays, which use the machine's byte order; WAV is little-endian.
    if (endianness() !== 'LE') return fail('BAD_FORMAT', 'big-endian machines are not supported');
    const header = buildWavHeader(layout.value);
    const flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    const bufferFrames = options.bufferFrames ?? layout.value.sampleRate;
    const maxSegmentBytes = options.maxSegmentBytes ?? DEFAULT_MAX_SEGMENT_BYTES;
    if (!(flushIntervalMs >= 10 && flushIntervalMs <= 1000)) return fail('BAD_OPTIONS', 'flushIntervalMs must be 10–1000');
    if (!Number.isInteger(bufferFrames) || bufferFrames < 1 || bufferFrames * header.blockAlign > 64 * 2 ** 20) {
      return fail('BAD_OPTIONS', 'bufferFrames must be a whole number ≥ 1, at most 64 MiB of audio');
    }
    if (
      !Number.isInteger(maxSegmentBytes) ||
      maxSegmentBytes < header.dataStart + header.blockAlign ||
      maxSegmentBytes > MAX_RIFF_FILE_BYTES
    ) {
      return fail('BAD_OPTIONS', `maxSegmentBytes must hold the header and one frame and be at most ${MAX_RIFF_FILE_BYTES}`);
    }
    const dir = path.resolve(options.dir);
    const sidecar = sidecarPath(dir, name.value);
    let fd: number | undefined;
    const firstPath = path.join(dir, segmentFileName(name.value, 1));
    try {
      await mkdir(dir, { recursive: true });
      if (await exists(sidecar)) return fail('RECORDING_EXISTS', `a recording named ${name.value} is already in ${dir}`, sidecar);
      fd = openSync(firstPath, 'wx');
      writeAllSync(fd, header.bytes, header.bytes.length, 0);
      await new Promise<void>((resolve, reject) => fdatasync(fd as number, (error) => (error ? reject(error) : resolve())));
      const writer = new CrashSafeWavWriter(
        dir,
        name.value,
        layout.value,
        header,
        bufferFrames,
        maxSegmentBytes,
        flushIntervalMs,
        { index: 1, path: firstPath, fd, framesOnDisk: 0 },
        new Date().toISOString(),
        options.onError,
      );
      try {
        await writeSidecar(dir, writer.sidecar(false)); // also fsyncs the folder, making the segment's name durable
      } catch (error) {
        clearInterval(writer.timer);
        throw error;
      }
      return ok(writer);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (fd !== undefined) {
        closeSync(fd);
        rmSync(firstPath, { force: true }); // ours, and empty: a retry with this name must not find it
      }
      if (code === 'EEXIST') return fail('RECORDING_EXISTS', `${firstPath} already exists`, firstPath);
      return fail('DISK_WRITE_FAILED', `cannot start the recording: ${errorMessage(error)}`, dir);
    }
  }

  /** Frames that reached the file or wait in the buffer. */
  get frames(): number {
    return this.framesInClosedSegments + this.segment.framesOnDisk + this.bufferedFrames;
  }

  get segmentPaths(): readonly string[] {
    return this.paths;
  }

  /**
   * Appends interleaved float32 frames (the capture's rate and channels). Copies into the buffer; only
   * when the buffer fills does it write (one positional write to the page cache, no fsync).
   */
  write(interleaved: Float32Array): Result<void, WavWriterErrorCode> {
    if (this.failure) return this.failure;
    if (this.closed) return fail('WRITER_CLOSED', 'the recording is finalized');
    const channels = this.layout.channels;
    if (interleaved.length % channels !== 0) {
      return fail('BAD_FRAMES', `${interleaved.length} samples is not a whole number of ${channels}-channel frames`);
    }
    const frames = interleaved.length / channels;
    let done = 0;
    while (done < frames) {
      const limit = Math.min(this.capacityFrames, this.segmentCapacityFrames - this.segment.framesOnDisk);
      const room = limit - this.bufferedFrames;
      if (room <= 0) {
        // A full segment is left only when more frames come, so a recording never ends on an empty one.
        const made = this.bufferedFrames > 0 ? this.flushBuffered() : this.rollOver();
        if (!made.ok) return made;
        continue;
      }
      const count = Math.min(room, frames - done);
      this.encode(interleaved, done * channels, count * channels);
      this.bufferedFrames += count;
      done += count;
    }
    return OK_VOID;
  }

  /** Writes the buffer, patches the header and waits for fdatasync: a checkpoint. */
  async sync(): Promise<Result<void, WavWriterErrorCode>> {
    if (this.closed) return this.failure ?? fail('WRITER_CLOSED', 'the recording is finalized');
    const flushed = this.flushBuffered();
    if (!flushed.ok) return flushed;
    const fd = this.segment.fd;
    this.unsynced = false;
    await this.enqueue(() => promisedFdatasync(fd));
    return this.failure ?? OK_VOID;
  }

  /** Flushes, patches the header, fsyncs the file and its folder, closes, marks the sidecar finalized. */
  async finalize(): Promise<Result<FinalizedRecording, WavWriterErrorCode>> {
    if (this.closed) return fail('WRITER_CLOSED', 'the recording is already finalized');
    this.closed = true;
    clearInterval(this.timer);
    if (!this.failure) this.flushBuffered();
    const last = this.segment;
    // enqueue never rejects (a failure is latched); the queue is awaited just below.
    inBackground(this.enqueue(() => syncAndClose(last.fd, 'fsync')));
    await this.diskQueue;
    if (!this.failure) {
      try {
        await fsyncDirectory(this.dir);
        await writeSidecar(this.dir, this.sidecar(true));
      } catch (error) {
        this.latch(`cannot finish the recording: ${errorMessage(error)}`);
      }
    }
    // An unfinalized sidecar stays on failure: the next start's recovery repairs from the real length.
    await cleanTempFiles(this.dir, { prefix: `${this.name}.recording.json.`, ownPid: process.pid });
    if (this.failure) return this.failure;
    const frames = this.framesInClosedSegments + this.segment.framesOnDisk;
    return ok({ paths: [...this.paths], frames, seconds: frames / this.layout.sampleRate, sidecarPath: sidecarPath(this.dir, this.name) });
  }

  private tick(): void {
    if (this.closed || this.failure) return;
    const flushed = this.flushBuffered();
    if (!flushed.ok || !this.unsynced || this.syncInFlight) return;
    const fd = this.segment.fd;
    this.unsynced = false;
    this.syncInFlight = true;
    inBackground(
      this.enqueue(() => promisedFdatasync(fd)).then(() => {
        this.syncInFlight = false;
      }),
    );
  }

  private encode(source: Float32Array, from: number, count: number): void {
    const base = this.bufferedFrames * this.layout.channels;
    if (this.layout.sampleFormat === 'f32') {
      this.samplesF32.set(source.subarray(from, from + count), base);
      return;
    }
    const target = this.samplesS16;
    for (let i = 0; i < count; i += 1) {
      const x = source[from + i] ?? 0;
      // NaN fails both tests and Math.round(NaN) stores as 0.
      target[base + i] = x >= 1 ? 32767 : x <= -1 ? -32767 : Math.round(x * 32767);
    }
  }

  private flushBuffered(): Result<void, WavWriterErrorCode> {
    if (this.failure) return this.failure;
    if (this.bufferedFrames === 0) return OK_VOID;
    const segment = this.segment;
    const blockAlign = this.header.blockAlign;
    try {
      writeAllSync(segment.fd, this.buffer, this.bufferedFrames * blockAlign, this.header.dataStart + segment.framesOnDisk * blockAlign);
      segment.framesOnDisk += this.bufferedFrames;
      this.bufferedFrames = 0;
      // Sizes after the data they describe: a crash in between leaves a header that undercounts, never over.
      const dataBytes = segment.framesOnDisk * blockAlign;
      this.sizeField.writeUInt32LE(this.header.dataStart - 8 + dataBytes, 0);
      writeAllSync(segment.fd, this.sizeField, 4, RIFF_SIZE_OFFSET);
      this.sizeField.writeUInt32LE(dataBytes, 0);
      writeAllSync(segment.fd, this.sizeField, 4, this.header.dataSizeOffset);
    } catch (error) {
      return this.latch(`cannot write ${segment.path}: ${errorMessage(error)}`);
    }
    this.unsynced = true;
    return OK_VOID;
  }

  private rollOver(): Result<void, WavWriterErrorCode> {
    const full = this.segment;
    const index = full.index + 1;
    const file = path.join(this.dir, segmentFileName(this.name, index));
    let fd: number | undefined;
    try {
      fd = openSync(file, 'wx');
      writeAllSync(fd, this.header.bytes, this.header.bytes.length, 0);
    } catch (error) {
      if (fd !== undefined) closeSync(fd);
      return this.latch(`cannot start segment ${file}: ${errorMessage(error)}`);
    }
    this.segment = { index, path: file, fd, framesOnDisk: 0 };
    this.paths.push(file);
    this.framesInClosedSegments += full.framesOnDisk;
    this.unsynced = true;
    inBackground(this.enqueue(() => syncAndClose(full.fd, 'fdatasync')));
    const snapshot = this.sidecar(false);
    inBackground(this.enqueue(() => writeSidecar(this.dir, snapshot))); // fsyncs the folder: the new name is durable
    return OK_VOID;
  }

  private sidecar(finalized: boolean): RecordingSidecar {
    const frames = this.framesInClosedSegments + this.segment.framesOnDisk;
    return {
      format: 'verbatim-recording',
      version: 1,
      name: this.name,
      sampleRate: this.layout.sampleRate,
      channels: this.layout.channels,
      sampleFormat: this.layout.sampleFormat,
      maxSegmentBytes: this.maxSegmentBytes,
      startedAt: this.startedAt,
      owner: currentProcessIdentity(),
      segments: this.paths.map((file) => path.basename(file)),
      finalized,
      ...(finalized ? { finishedAt: new Date().toISOString(), frames, seconds: frames / this.layout.sampleRate } : {}),
    };
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.diskQueue = this.diskQueue.then(task).catch((error: unknown) => {
      this.latch(`disk write failed: ${errorMessage(error)}`);
    });
    return this.diskQueue;
  }

  private latch(message: string): { ok: false; error: CodedError<WavWriterErrorCode> } {
    if (!this.failure) {
      this.failure = fail('DISK_WRITE_FAILED', message, this.segment.path);
      this.onError?.(this.failure.error);
    }
    return this.failure;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

function promisedFdatasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));
}

async function syncAndClose(fd: number, kind: 'fsync' | 'fdatasync'): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) =>
      (kind === 'fsync' ? fsync : fdatasync)(fd, (error) => (error ? reject(error) : resolve())),
    );
  } finally {
    await new Promise<void>((resolve) => close(fd, () => resolve()));
  }
}
