import type { AudioDecoder, AudioProbeInfo, DecodeItem, DecodeOptions, ProbeErrorCode } from './types';
import type { Result } from '../../src-shared/result';

/**
 * A decoder that reads one channel of every file instead of the mix: what the pipeline sees when a
 * recording's channels are different people (the microphone on channel 0, the system-audio monitor on 1).
 */
export function channelDecoder(decoder: AudioDecoder, channel: number): AudioDecoder {
  if (!(Number.isInteger(channel) && channel >= 0)) throw new RangeError(`channel must be a whole number ≥ 0, got ${channel}`);
  return {
    probe(path: string): Promise<Result<AudioProbeInfo, ProbeErrorCode>> {
      return decoder.probe(path);
    },
    decode(path: string, options: DecodeOptions = {}): AsyncIterable<DecodeItem> {
      return decoder.decode(path, { ...options, channel });
    },
  };
}
