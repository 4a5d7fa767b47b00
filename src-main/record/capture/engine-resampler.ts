import { ENGINE_SAMPLE_RATE } from '../../audio/types';
import type { CaptureFormat } from '../capture-types';
import type { StreamResampler } from '../session-ports';
import { StreamingResampler } from './resampler';

/** The capture → 16 kHz mono conversion the live transcriber hears; `reset` starts a fresh stream after a gap. */
export function createEngineResampler(format: CaptureFormat): StreamResampler {
  let resampler = new StreamingResampler(format.sampleRate, format.channels, ENGINE_SAMPLE_RATE);
  return {
    process: (interleaved) => resampler.process(interleaved),
    reset: () => {
      resampler = new StreamingResampler(format.sampleRate, format.channels, ENGINE_SAMPLE_RATE);
    },
  };
}
