import { LogMelSpectrogram } from './log-mel';

/** The preprocessor_config.json fields Whisper's front-end reads. */
interface PreprocessorConfig {
  feature_size?: number;
  hop_length?: number;
  n_fft?: number;
  n_samples?: number;
  nb_max_frames?: number;
  sampling_rate?: number;
}

/** numpy.hanning(n + 1)[:-1]: the periodic Hann window torch.stft and transformers.js use. */
export function periodicHann(length: number): Float64Array {
  const window = new Float64Array(length);
  for (let i = 0; i < length; i += 1) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / length);
  return window;
}

const slaneyHertzToMel = (hertz: number): number =>
  hertz >= 1000 ? 15 + Math.log(hertz / 1000) * (27 / Math.log(6.4)) : (3 * hertz) / 200;
const slaneyMelToHertz = (mel: number): number => (mel >= 15 ? 1000 * Math.exp((Math.log(6.4) / 27) * (mel - 15)) : (200 * mel) / 3);

/**
 * Slaney-scale, Slaney-normalised triangular mel filters over [0, sampleRate / 2] (librosa's `mel(htk=False)`,
 * which openai-whisper's mel_filters.npz holds and transformers.js computes): [mels][bins].
 */
export function slaneyMelFilters(bins: number, mels: number, sampleRate: number): number[][] {
  const melMax = slaneyHertzToMel(8000);
  const edges = Array.from({ length: mels + 2 }, (_, i) => slaneyMelToHertz((melMax * i) / (mels + 1)));
  const fftFrequencies = Array.from({ length: bins }, (_, j) => (Math.floor(sampleRate / 2) * j) / (bins - 1));
  return Array.from({ length: mels }, (_, i) => {
    const lower = edges[i] as number;
    const centre = edges[i + 1] as number;
    const upper = edges[i + 2] as number;
    const norm = 2 / (upper - lower);
    return fftFrequencies.map(
      (frequency) => Math.max(0, Math.min((frequency - lower) / (centre - lower), (upper - frequency) / (upper - centre))) * norm,
    );
  });
}

/** Whisper's front-end for one window of ≤ 30 s, configured by the model's preprocessor_config.json. */
export class WhisperFeatures {
  readonly mels: number;
  readonly frames: number;
  private readonly samples: number;
  private readonly spectrogram: LogMelSpectrogram;

  constructor(config: PreprocessorConfig) {
    const nFft = config.n_fft ?? 400;
    const sampleRate = config.sampling_rate ?? 16_000;
    this.mels = config.feature_size ?? 80;
    this.frames = config.nb_max_frames ?? 3000;
    this.samples = config.n_samples ?? 480_000;
    this.spectrogram = new LogMelSpectrogram({
      window: periodicHann(nFft),
      melFilters: slaneyMelFilters(Math.floor(nFft / 2) + 1, this.mels, sampleRate),
      hopLength: config.hop_length ?? 160,
      frames: this.frames,
    });
  }

  /**
   * [mels, frames] of `audio` zero-padded to the window length, or its first `frames` (a shorter context: the
   * same values, normalised over the whole padded window as Whisper does).
   */
  logMel(audio: Float32Array, frames = this.frames): Promise<Float32Array> {
    const padded = new Float32Array(this.samples);
    padded.set(audio.subarray(0, this.samples));
    const full = this.spectrogram.compute(padded);
    if (frames >= this.frames) return Promise.resolve(full);
    const fitted = new Float32Array(this.mels * frames);
    for (let mel = 0; mel < this.mels; mel += 1) fitted.set(full.subarray(mel * this.frames, mel * this.frames + frames), mel * frames);
    return Promise.resolve(fitted);
  }
}
