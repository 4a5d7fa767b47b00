import { WhisperFeatureExtractor } from '@huggingface/transformers';
import { LogMelSpectrogram } from './log-mel';

/**
 * Whisper's front-end for one window of ≤ 30 s: transformers.js' WhisperFeatureExtractor supplies the window and
 * the mel filters from the model's preprocessor_config.json; LogMelSpectrogram computes the features.
 */
export class WhisperFeatures {
  readonly mels: number;
  readonly frames: number;
  private readonly samples: number;
  private readonly spectrogram: LogMelSpectrogram;

  constructor(preprocessorConfig: Record<string, unknown>) {
    const extractor = new WhisperFeatureExtractor(preprocessorConfig);
    const config = extractor.config as { feature_size: number; nb_max_frames: number; n_samples: number; hop_length: number; mel_filters: number[][] };
    this.mels = config.feature_size;
    this.frames = config.nb_max_frames;
    this.samples = config.n_samples;
    this.spectrogram = new LogMelSpectrogram({ window: extractor.window, melFilters: config.mel_filters, hopLength: config.hop_length, frames: this.frames });
  }

  /** [mels, frames] of `audio` zero-padded to the window length. */
  logMel(audio: Float32Array): Promise<Float32Array> {
    const padded = new Float32Array(this.samples);
    padded.set(audio.subarray(0, this.samples));
    return Promise.resolve(this.spectrogram.compute(padded));
  }
}
