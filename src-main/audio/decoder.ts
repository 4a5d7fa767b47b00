import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { endianness } from 'node:os';
import { errorMessage } from '../../src-shared/errors';
import { fail, ok, type Result } from '../../src-shared/result';
import { ChunkAssembler } from './chunk-assembler';
import { locateFfmpeg, type FfmpegBinaries, type LocateOptions } from './ffmpeg-locator';
import { ffmpegInputArg, PROBE_TIMEOUT_MS, probeAudio } from './probe';
import type { AudioDecoder, AudioProbeInfo, DecodeItem, DecodeOptions, ProbeErrorCode } from './types';
import { ENGINE_SAMPLE_RATE } from './types';

const STDERR_TAIL_CHARS = 2000;

function decodeArgs(filePath: string, audioStreamIndex: number, channel: number | undefined): string[] {
  // One channel through the pan filter; otherwise ffmpeg's downmix of all channels.
  const mono = channel === undefined ? ['-ac', '1'] : ['-af', `pan=mono|c0=c${channel}`];
  return [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    '-i',
    ffmpegInputArg(filePath),
    '-map',
    `0:a:${audioStreamIndex}`,
    '-vn',
    '-sn',
    '-dn',
    ...mono,
    '-ar',
    String(ENGINE_SAMPLE_RATE),
    '-f',
    'f32le',
    'pipe:1',
  ];
}

/**
 * Streams a file as 16 kHz mono float32 chunks. Memory stays flat: the child's stdout is read
 * only when the consumer asks for the next chunk, so a slow consumer pauses ffmpeg via the pipe.
 * Ending the iteration early (break, abort) kills ffmpeg and waits for it to exit.
 */
export async function* decodeWithFfmpeg(
  filePath: string,
  ffmpegPath: string,
  options: DecodeOptions = {},
): AsyncGenerator<DecodeItem, void, undefined> {
  const { signal, onWarning } = options;
  const assembler = new ChunkAssembler(options.chunkSamples ?? ENGINE_SAMPLE_RATE);
  if (endianness() !== 'LE') throw new Error('f32le samples are copied as-is; a big-endian host is not supported');
  // A function, not a property read, so TypeScript does not narrow it to false after the first check.
  const isAborted = (): boolean => signal?.aborted === true;
  if (isAborted()) {
    yield fail('CANCELLED', `decoding ${filePath} was cancelled`, filePath);
    return;
  }
  try {
    if (!(await stat(filePath)).isFile()) throw new Error('not a file');
  } catch {
    yield fail('FILE_NOT_FOUND', `${filePath} does not exist or is not a file`, filePath);
    return;
  }

  if (options.channel !== undefined && !(Number.isInteger(options.channel) && options.channel >= 0)) {
    throw new RangeError(`channel must be a whole number ≥ 0, got ${options.channel}`);
  }
  const child = spawn(ffmpegPath, decodeArgs(filePath, options.audioStreamIndex ?? 0, options.channel), {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let spawnError: string | null = null;
  let stderrTail = '';
  child.on('error', (error) => {
    spawnError = error.message;
  });
  child.stderr.on('data', (data: Buffer) => {
    const text = data.toString('utf8');
    stderrTail = (stderrTail + text).slice(-STDERR_TAIL_CHARS);
    if (onWarning !== undefined) for (const line of text.split('\n')) if (line.trim() !== '') onWarning(line.trim());
  });
  const killChild = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  signal?.addEventListener('abort', killChild, { once: true });

  let nextStart = 0;
  let readError: string | null = null;
  try {
    try {
      for await (const data of child.stdout as AsyncIterable<Buffer>) {
        for (const samples of assembler.push(data)) {
          yield ok({ samples, startSample: nextStart });
          nextStart += samples.length;
          if (isAborted()) break;
        }
        if (isAborted()) break;
      }
    } catch (error) {
      readError = errorMessage(error);
    }
    if (isAborted()) {
      killChild();
      await exited;
      yield fail('CANCELLED', `decoding ${filePath} was cancelled`, filePath);
      return;
    }
    const exitCode = await exited;
    if (spawnError !== null) {
      yield fail('FFMPEG_NOT_FOUND', `cannot run ffmpeg at ${ffmpegPath}: ${String(spawnError)}`, filePath);
      return;
    }
    if (exitCode !== 0 || readError !== null) {
      const detail = stderrTail.trim().split('\n').slice(-5).join(' | ') || readError || `exit code ${exitCode}`;
      yield fail('DECODE_FAILED', `ffmpeg could not decode ${filePath}: ${detail}`, filePath);
      return;
    }
    const last = assembler.flush();
    if (last !== null) yield ok({ samples: last, startSample: nextStart });
  } finally {
    signal?.removeEventListener('abort', killChild);
    killChild();
    await exited;
  }
}

/** The production AudioDecoder: ffprobe for validation, ffmpeg for decoding. */
export class FfmpegAudioDecoder implements AudioDecoder {
  constructor(
    readonly binaries: FfmpegBinaries,
    private readonly probeTimeoutMs = PROBE_TIMEOUT_MS,
  ) {}

  /** Locates the binaries (explicit → env → bundled → PATH) and builds a decoder on them. */
  static create(options: LocateOptions & { probeTimeoutMs?: number } = {}): Result<FfmpegAudioDecoder, 'FFMPEG_NOT_FOUND'> {
    const located = locateFfmpeg(options);
    return located.ok ? ok(new FfmpegAudioDecoder(located.value, options.probeTimeoutMs)) : located;
  }

  probe(filePath: string): Promise<Result<AudioProbeInfo, ProbeErrorCode>> {
    return probeAudio(filePath, {
      ffprobePath: this.binaries.ffprobe.path,
      ffmpegPath: this.binaries.ffmpeg.path,
      timeoutMs: this.probeTimeoutMs,
    });
  }

  decode(filePath: string, options?: DecodeOptions): AsyncIterable<DecodeItem> {
    return decodeWithFfmpeg(filePath, this.binaries.ffmpeg.path, options);
  }
}
