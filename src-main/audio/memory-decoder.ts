import { fail, ok, type Result } from '../../src-shared/result';
import type { AudioDecoder, AudioProbeInfo, DecodeItem, DecodeOptions, ProbeErrorCode } from './types';
import { ENGINE_SAMPLE_RATE } from './types';

/**
 * Test double for stages downstream of decoding: "files" are 16 kHz mono Float32Arrays held in
 * memory, chunked exactly like the ffmpeg decoder chunks real files.
 */
export class MemoryAudioDecoder implements AudioDecoder {
  private readonly sources: Map<string, Float32Array>;

  constructor(sources: Record<string, Float32Array> | Map<string, Float32Array>) {
    this.sources = sources instanceof Map ? new Map(sources) : new Map(Object.entries(sources));
  }

  probe(path: string): Promise<Result<AudioProbeInfo, ProbeErrorCode>> {
    const samples = this.sources.get(path);
    if (samples === undefined) return Promise.resolve(fail('FILE_NOT_FOUND', `${path} does not exist`, path));
    if (samples.length === 0) return Promise.resolve(fail('FILE_EMPTY', `${path} is empty`, path));
    return Promise.resolve(
      ok({
        path,
        container: 'memory',
        codec: 'pcm_f32le',
        sampleRate: ENGINE_SAMPLE_RATE,
        channels: 1,
        durationSeconds: samples.length / ENGINE_SAMPLE_RATE,
        audioStreamIndex: 0,
        truncated: false,
      }),
    );
  }

  async *decode(path: string, options: DecodeOptions = {}): AsyncGenerator<DecodeItem, void, undefined> {
    const samples = this.sources.get(path);
    if (samples === undefined) {
      yield fail('FILE_NOT_FOUND', `${path} does not exist`, path);
      return;
    }
    const chunkSamples = options.chunkSamples ?? ENGINE_SAMPLE_RATE;
    for (let start = 0; start < samples.length; start += chunkSamples) {
      // A macrotask boundary, like a real pipe, so consumers cannot rely on synchronous delivery.
      await new Promise((resolve) => setImmediate(resolve));
      if (options.signal?.aborted === true) {
        yield fail('CANCELLED', `decoding ${path} was cancelled`, path);
        return;
      }
      yield ok({ samples: samples.slice(start, start + chunkSamples), startSample: start });
    }
  }
}
