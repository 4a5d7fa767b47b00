import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fail, ok, type Result } from '../../src-shared/result';
import { looksLikeMedia, readHead, wavDeclaresMoreThan } from './media-signature';
import { runBounded } from './run-bounded';
import type { AudioProbeInfo, ProbeErrorCode } from './types';

export interface ProbeOptions {
  ffprobePath: string;
  /** Needed for the spot decode; without it the probe relies on ffprobe alone. */
  ffmpegPath?: string;
  /** Budget for the whole probe, ffprobe plus spot decode (default PROBE_TIMEOUT_MS). */
  timeoutMs?: number;
  audioStreamIndex?: number;
}

type ProbeResult = Result<AudioProbeInfo, ProbeErrorCode>;

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  sample_rate?: string;
  channels?: number;
  duration?: string;
}

interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string };
}

const SPOT_DECODE_SECONDS = '0.5';
// A hung ffprobe must end, but a good file must never be refused because the machine is busy:
// a 5 s budget refused jfk.wav once while two Whisper decodes held both cores.
export const PROBE_TIMEOUT_MS = 20_000;
// Formats ffprobe "recognises" in arbitrary text; none of them carry audio we could transcribe.
const TEXT_PSEUDO_FORMATS = new Set(['tty', 'txt', 'srt', 'webvtt', 'ass', 'subviewer', 'microdvd']);

/** "file:" stops ffmpeg from reading a name like "concat:a|b" or "-x" as a protocol or option. */
export function ffmpegInputArg(filePath: string): string {
  return `file:${path.resolve(filePath)}`;
}

function tail(text: string, lines = 3): string {
  return text.split('\n').filter(Boolean).slice(-lines).join(' | ');
}

function positiveNumber(text: string | number | undefined): number | null {
  const value = typeof text === 'number' ? text : Number.parseFloat(text ?? '');
  return Number.isFinite(value) && value > 0 ? value : null;
}

async function checkFile(filePath: string): Promise<Result<number, ProbeErrorCode>> {
  try {
    const info = await stat(filePath);
    if (!info.isFile()) return fail('FILE_NOT_FOUND', `${filePath} is not a file`, filePath);
    if (info.size === 0) return fail('FILE_EMPTY', `${filePath} is empty (0 bytes)`, filePath);
    return ok(info.size);
  } catch {
    return fail('FILE_NOT_FOUND', `${filePath} does not exist`, filePath);
  }
}

/**
 * Validates a media file cheaply before any long work, and describes its audio.
 *
 * Truncation policy: a file is rejected (TRUNCATED_OR_CORRUPT) when it looks like media but its
 * header or index is unreadable (cut inside the header, mp4/mov without a moov atom, broken moov),
 * or when not a single sample can be decoded from it. A file whose header is intact but whose
 * audio data stops early (WAV cut mid-data, mp3 cut mid-stream, faststart m4a cut mid-mdat) is
 * accepted: the decoder yields the prefix that exists. WAV reports this as `truncated: true`.
 */
export async function probeAudio(filePath: string, options: ProbeOptions): Promise<ProbeResult> {
  const deadline = Date.now() + (options.timeoutMs ?? PROBE_TIMEOUT_MS);
  const streamIndex = options.audioStreamIndex ?? 0;
  const size = await checkFile(filePath);
  if (!size.ok) return size;

  const probe = await runBounded(
    options.ffprobePath,
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ffmpegInputArg(filePath)],
    { timeoutMs: Math.max(1, deadline - Date.now()) },
  );
  if (probe.spawnError !== null) return fail('FFMPEG_NOT_FOUND', `cannot run ffprobe: ${probe.spawnError}`, filePath);
  if (probe.timedOut) return fail('PROBE_TIMEOUT', `ffprobe did not finish reading ${filePath} in time`, filePath);
  const head = await readHead(filePath, 64 * 1024);
  if (probe.exitCode !== 0) {
    return looksLikeMedia(head)
      ? fail('TRUNCATED_OR_CORRUPT', `${filePath} looks like media but cannot be read: ${tail(probe.stderr)}`, filePath)
      : fail('NOT_MEDIA', `${filePath} is not an audio or video file (${tail(probe.stderr, 1)})`, filePath);
  }

  let parsed: FfprobeOutput;
  try {
    parsed = JSON.parse(probe.stdout) as FfprobeOutput;
  } catch {
    return fail('NOT_MEDIA', `ffprobe gave no readable description of ${filePath}`, filePath);
  }
  const container = parsed.format?.format_name ?? 'unknown';
  if (TEXT_PSEUDO_FORMATS.has(container)) {
    return fail('NOT_MEDIA', `${filePath} is text (${container}), not audio`, filePath);
  }
  const audioStreams = (parsed.streams ?? []).filter((stream) => stream.codec_type === 'audio');
  const stream = audioStreams[streamIndex];
  if (stream === undefined) {
    const what = audioStreams.length === 0 ? 'has no audio stream' : `has no audio stream #${streamIndex}`;
    return fail('NO_AUDIO_STREAM', `${filePath} (${container}) ${what}`, filePath);
  }
  const sampleRate = positiveNumber(stream.sample_rate);
  const channels = positiveNumber(stream.channels);
  if (sampleRate === null || channels === null) {
    return fail('TRUNCATED_OR_CORRUPT', `${filePath}: audio stream has no sample rate or channel count`, filePath);
  }
  const info: AudioProbeInfo = {
    path: filePath,
    container,
    codec: stream.codec_name ?? 'unknown',
    sampleRate,
    channels,
    durationSeconds: positiveNumber(stream.duration) ?? positiveNumber(parsed.format?.duration),
    audioStreamIndex: streamIndex,
    truncated: wavDeclaresMoreThan(head, size.value),
  };
  if (options.ffmpegPath === undefined) return ok(info);
  return spotDecode(filePath, info, options.ffmpegPath, deadline);
}

/**
 * ffprobe (a newer build) can describe streams that the bundled ffmpeg 4.1 cannot decode, and a
 * readable header says nothing about the data, so half a second is decoded by the real decoder.
 */
async function spotDecode(filePath: string, info: AudioProbeInfo, ffmpegPath: string, deadline: number): Promise<ProbeResult> {
  const run = await runBounded(
    ffmpegPath,
    [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'error',
      '-i',
      ffmpegInputArg(filePath),
      '-map',
      `0:a:${info.audioStreamIndex}`,
      '-vn',
      '-t',
      SPOT_DECODE_SECONDS,
      '-ac',
      '1',
      '-ar',
      '16000',
      '-f',
      'f32le',
      'pipe:1',
    ],
    { timeoutMs: Math.max(1, deadline - Date.now()), maxStdoutChars: 0 },
  );
  if (run.spawnError !== null) return fail('FFMPEG_NOT_FOUND', `cannot run ffmpeg: ${run.spawnError}`, filePath);
  if (run.timedOut) return fail('PROBE_TIMEOUT', `decoding the start of ${filePath} did not finish in time`, filePath);
  if (/Decoder \(codec [^)]*\) not found|no decoder found|Unsupported codec/i.test(run.stderr)) {
    return fail('UNSUPPORTED_CODEC', `${filePath}: ffmpeg has no decoder for its audio (${info.codec})`, filePath);
  }
  if (run.exitCode !== 0 || run.stdoutBytes < 4) {
    const why = run.stderr === '' ? 'no audio samples could be decoded' : tail(run.stderr);
    return fail('TRUNCATED_OR_CORRUPT', `${filePath}: ${why}`, filePath);
  }
  return ok(info);
}
