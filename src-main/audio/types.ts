import type { Result } from '../../src-shared/result';

/** Every stage downstream of the decoder works on 16 kHz mono float32 in [-1, 1]. */
export const ENGINE_SAMPLE_RATE = 16000;

export type ProbeErrorCode =
  | 'FFMPEG_NOT_FOUND'
  | 'FILE_NOT_FOUND'
  | 'FILE_EMPTY'
  | 'NOT_MEDIA'
  | 'NO_AUDIO_STREAM'
  | 'TRUNCATED_OR_CORRUPT'
  | 'UNSUPPORTED_CODEC'
  | 'PROBE_TIMEOUT';

export type DecodeErrorCode = 'FFMPEG_NOT_FOUND' | 'FILE_NOT_FOUND' | 'DECODE_FAILED' | 'CANCELLED';

/** What the probe learned about the (first) audio stream of a file. */
export interface AudioProbeInfo {
  path: string;
  /** ffprobe's format_name, e.g. "wav", "mp3", "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm". */
  container: string;
  /** ffprobe's codec_name of the audio stream, e.g. "pcm_s16le", "aac", "opus". */
  codec: string;
  sampleRate: number;
  channels: number;
  /**
   * Seconds, or null when the container does not say (e.g. a MediaRecorder webm without cues).
   * For a truncated file this is what the header claims, not what can be decoded; for headerless
   * streams (raw ADTS AAC) it is ffprobe's estimate from the bitrate and can be off by 10–20 %.
   */
  durationSeconds: number | null;
  /** Index of the chosen stream among the file's audio streams (the decoder uses the same one). */
  audioStreamIndex: number;
  /**
   * True when the container declares more audio than the file holds (detected for WAV only).
   * Such a file is accepted: the decoder yields the prefix that exists.
   */
  truncated: boolean;
}

/** One fixed-size block of 16 kHz mono audio; the last block of a stream may be shorter. */
export interface AudioChunk {
  samples: Float32Array;
  /** Index of samples[0] on the file's timeline (absolute, 16 kHz). */
  startSample: number;
}

export interface DecodeOptions {
  /** Samples per yielded chunk (default 16000 = 1 s). */
  chunkSamples?: number;
  signal?: AbortSignal | undefined;
  /** Which audio stream to decode, counted among audio streams (default 0). */
  audioStreamIndex?: number;
  /**
   * One channel of the stream (0 = left / first), instead of the mix of all channels (the default). A channel
   * the stream does not have decodes as silence (ffmpeg's pan filter), so check `AudioProbeInfo.channels`.
   */
  channel?: number | undefined;
  /** Non-fatal decoder messages (e.g. "partial file" on a truncated input). */
  onWarning?: (message: string) => void;
}

/**
 * A decode yields chunks as `ok` items; a failure is yielded once, as the last item.
 * Consumers branch on `ok` instead of catching.
 */
export type DecodeItem = Result<AudioChunk, DecodeErrorCode>;

export interface AudioDecoder {
  probe(path: string): Promise<Result<AudioProbeInfo, ProbeErrorCode>>;
  decode(path: string, options?: DecodeOptions): AsyncIterable<DecodeItem>;
}
