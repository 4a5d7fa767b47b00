/**
 * The imported meeting's own media copy: the file's audio as Ogg Opus, 48 kbps mono (64 kbps stereo when
 * its channels are different people and are transcribed apart). Small (about 21 MB an hour), plays in the
 * renderer's <audio>, and is what transcription and later re-transcriptions read.
 */
import { spawn } from 'node:child_process';
import { rm, stat } from 'node:fs/promises';
import { fail, ok, type Result } from '../../src-shared/result';
import { ffmpegInputArg } from '../audio/probe';
import type { AudioProbeInfo } from '../audio/types';

const STDERR_TAIL_CHARS = 4000;

export interface ExtractAudioOptions {
  ffmpegPath: string;
  input: AudioProbeInfo;
  outPath: string;
  /** Aborting kills ffmpeg at once; the partial output is removed. */
  signal: AbortSignal;
  /** 0–1 through the input, when its duration is known. */
  onProgress?: (fraction: number) => void;
  /** 2 keeps the first two channels apart (default 1: the mix). */
  channels?: 1 | 2;
}

type Encoder = 'libopus' | 'opus';

function extractArgs(input: AudioProbeInfo, outPath: string, encoder: Encoder, channels: 1 | 2): string[] {
  return [
    '-nostdin',
    '-hide_banner',
    '-nostats',
    '-loglevel',
    'error',
    '-y',
    '-i',
    ffmpegInputArg(input.path),
    '-map',
    `0:a:${input.audioStreamIndex}`,
    '-vn',
    '-sn',
    '-dn',
    '-ac',
    String(channels),
    '-ar',
    '48000',
    // FFmpeg's own Opus encoder is the fallback for builds without libopus; it is still marked experimental.
    ...(encoder === 'libopus' ? ['-c:a', 'libopus'] : ['-c:a', 'opus', '-strict', '-2']),
    // Level 5 of 10 encodes about twice as fast as the default, with no audible loss for speech at 48 kbps.
    '-b:a',
    channels === 2 ? '64k' : '48k',
    '-compression_level',
    '5',
    '-f',
    'ogg',
    '-progress',
    'pipe:1',
    ffmpegInputArg(outPath),
  ];
}

interface FfmpegRun {
  exitCode: number | null;
  aborted: boolean;
  spawnError: string | null;
  stderr: string;
}

function runFfmpeg(options: ExtractAudioOptions, encoder: Encoder): Promise<FfmpegRun> {
  const { input, signal, onProgress } = options;
  return new Promise((resolve) => {
    const child = spawn(options.ffmpegPath, extractArgs(input, options.outPath, encoder, options.channels ?? 1), {
      stdio: ['ignore', 'pipe', 'pipe'],
      signal,
      killSignal: 'SIGKILL',
    });
    let stderr = '';
    let spawnError: string | null = null;
    let pending = '';
    child.stdout.on('data', (data: Buffer) => {
      pending += data.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      const duration = input.durationSeconds;
      if (!onProgress || duration === null) return;
      for (const line of lines) {
        // `out_time_ms` is in microseconds too (an old misnomer ffmpeg keeps for compatibility).
        const match = /^out_time_(?:us|ms)=(\d+)/.exec(line);
        if (match) onProgress(Math.min(1, Number(match[1]) / 1e6 / duration));
      }
    });
    child.stderr.on('data', (data: Buffer) => {
      stderr = (stderr + data.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
    child.on('error', (error) => {
      if (error.name !== 'AbortError') spawnError = error.message;
    });
    // 'close' comes after the exit and the pipes' end: ffmpeg is reaped, the output file closed.
    child.on('close', (exitCode) => resolve({ exitCode, aborted: signal.aborted, spawnError, stderr: stderr.trim() }));
  });
}

/** Writes the playable copy to `outPath`; on any failure or cancel, nothing is left there. */
export async function extractPlayableAudio(options: ExtractAudioOptions): Promise<Result<void>> {
  const { input, outPath, signal } = options;
  if (signal.aborted) return fail('CANCELLED', `Extracting the audio of ${input.path} was cancelled.`, input.path);
  let run = await runFfmpeg(options, 'libopus');
  if (!run.aborted && run.exitCode !== 0 && /Unknown encoder 'libopus'|Encoder libopus not found/i.test(run.stderr)) {
    run = await runFfmpeg(options, 'opus');
  }
  if (run.aborted || run.exitCode !== 0 || run.spawnError !== null) {
    await rm(outPath, { force: true });
    if (run.aborted) return fail('CANCELLED', `Extracting the audio of ${input.path} was cancelled.`, input.path);
    if (run.spawnError !== null)
      return fail('FFMPEG_NOT_FOUND', `cannot run ffmpeg at ${options.ffmpegPath}: ${run.spawnError}`, input.path);
    const detail = run.stderr.split('\n').slice(-3).join(' | ') || `exit code ${run.exitCode}`;
    return fail('DECODE_FAILED', `ffmpeg could not extract the audio of ${input.path}: ${detail}`, input.path);
  }
  const written = await stat(outPath).catch(() => null);
  if (written === null || written.size === 0) {
    await rm(outPath, { force: true });
    return fail('DECODE_FAILED', `ffmpeg wrote no audio for ${input.path}`, input.path);
  }
  return ok(undefined);
}
