import { Tensor, WhisperFeatureExtractor } from '@huggingface/transformers';

/** The part of transformers.js' WhisperFeatureExtractor this module wraps. */
interface WhisperFeatureExtractorLike {
  config: { hop_length: number; n_fft: number; nb_max_frames: number };
  _extract_fbank_features(waveform: Float32Array): Promise<Tensor>;
}

/** log10 of the mel floor (1e-10): what an all-zero frame becomes before normalisation. */
const SILENT_FRAME_LOG_MEL = -10;

/**
 * Whisper hears 30 s windows: shorter audio is zero-padded, and transformers.js computes the STFT of every
 * padded frame (a third of a tiny model's pass on a 3 s utterance). The log-mel of an all-zero frame is
 * a constant, so this computes only the frames that touch audio and fills the rest, giving the same
 * features to float precision (tested against the original), for every live partial and every window.
 */
export function speedUpWhisperFeatures(extractor: unknown): boolean {
  if (!isWhisperExtractor(extractor)) return false;
  const original = extractor._extract_fbank_features.bind(extractor);
  const { hop_length: hop, n_fft: fftLength, nb_max_frames: maxFrames } = extractor.config;
  extractor._extract_fbank_features = async (waveform: Float32Array): Promise<Tensor> => {
    let last = waveform.length;
    while (last > 0 && waveform[last - 1] === 0) last -= 1;
    // Frames that see any audio, plus a zero margin so the short STFT's end reflection only mirrors zeros.
    const needed = Math.ceil((last + 2 * fftLength) / hop) * hop;
    const fullFrames = Math.min(Math.floor(waveform.length / hop), maxFrames);
    const shortFrames = Math.floor(needed / hop);
    if (last === 0 || shortFrames >= fullFrames) return original(waveform);
    const short = await original(waveform.subarray(0, needed));
    const [melBins, frames] = short.dims as [number, number];
    const shortData = short.data as Float32Array;
    // The short spectrogram was normalised with its own maximum, which is the full one's too (zero frames
    // are the minimum); a zero frame normalises to max(−10, max − 8), mapped like every other value.
    let normalisedMax = -Infinity;
    for (const value of shortData) if (value > normalisedMax) normalisedMax = value;
    const logMax = normalisedMax * 4 - 4;
    const fill = (Math.max(SILENT_FRAME_LOG_MEL, logMax - 8) + 4) / 4;
    const data = new Float32Array(melBins * fullFrames).fill(fill);
    for (let bin = 0; bin < melBins; bin += 1) {
      data.set(shortData.subarray(bin * frames, (bin + 1) * frames), bin * fullFrames);
    }
    return new Tensor('float32', data, [melBins, fullFrames]);
  };
  return true;
}

/** transformers.js processors are callable objects (functions). */
function isWhisperExtractor(value: unknown): value is WhisperFeatureExtractorLike {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const candidate = value as Partial<WhisperFeatureExtractorLike>;
  return (
    typeof candidate._extract_fbank_features === 'function' &&
    typeof candidate.config?.hop_length === 'number' &&
    typeof candidate.config.n_fft === 'number' &&
    typeof candidate.config.nb_max_frames === 'number'
  );
}

/** Whisper's log-mel front-end (transformers.js' extractor, sped up as above) for one window of ≤ 30 s. */
export class WhisperFeatures {
  private readonly extractor: WhisperFeatureExtractor;
  readonly mels: number;
  readonly frames: number;
  private readonly samples: number;

  constructor(preprocessorConfig: Record<string, unknown>) {
    this.extractor = new WhisperFeatureExtractor(preprocessorConfig);
    speedUpWhisperFeatures(this.extractor);
    const config = this.extractor.config as { feature_size: number; nb_max_frames: number; n_samples: number };
    this.mels = config.feature_size;
    this.frames = config.nb_max_frames;
    this.samples = config.n_samples;
  }

  /** [mels, frames] of `audio` zero-padded to the window length. */
  async logMel(audio: Float32Array): Promise<Float32Array> {
    const padded = new Float32Array(this.samples);
    padded.set(audio.subarray(0, this.samples));
    const features = await this.extractor._extract_fbank_features(padded);
    return features.data as Float32Array;
  }
}
