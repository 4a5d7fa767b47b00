"""Reference Kaldi fbank features (kaldi-native-fbank) for checking src-main/diarization/fbank.ts.

Settings match the TS front-end: 16 kHz, 25 ms / 10 ms, snip_edges, DC removal, pre-emphasis 0.97,
512-point FFT, 80 mel bins 20 Hz..Nyquist, log power floored at float32 eps, dither 0, no energy,
samples scaled from [-1, 1] to the int16 range as WeSpeaker does.

Input: a 16 kHz mono 16-bit PCM .wav, or a raw little-endian float32 .f32 file of samples in [-1, 1].
Output: --out FILE.f32 writes frames x 80 float32 (row-major) and prints {"frames", "bins"} as JSON;
without --out the features themselves are printed as JSON.
"""

import argparse
import json
import sys
import wave

import kaldi_native_fbank as knf
import numpy as np

SAMPLE_RATE = 16000
BINS = 80


def read_samples(path: str) -> np.ndarray:
    if path.endswith(".f32"):
        return np.fromfile(path, dtype="<f4")
    with wave.open(path, "rb") as handle:
        if handle.getframerate() != SAMPLE_RATE or handle.getnchannels() != 1 or handle.getsampwidth() != 2:
            sys.exit(f"{path}: expected 16 kHz mono 16-bit PCM, got {handle.getparams()}")
        pcm = np.frombuffer(handle.readframes(handle.getnframes()), dtype="<i2")
    return pcm.astype(np.float32) / 32768.0


def fbank(samples: np.ndarray, window: str) -> np.ndarray:
    opts = knf.FbankOptions()
    opts.frame_opts.samp_freq = SAMPLE_RATE
    opts.frame_opts.frame_length_ms = 25
    opts.frame_opts.frame_shift_ms = 10
    opts.frame_opts.dither = 0
    opts.frame_opts.preemph_coeff = 0.97
    opts.frame_opts.remove_dc_offset = True
    opts.frame_opts.window_type = window
    opts.frame_opts.round_to_power_of_two = True
    opts.frame_opts.snip_edges = True
    opts.mel_opts.num_bins = BINS
    opts.mel_opts.low_freq = 20
    opts.mel_opts.high_freq = 0
    opts.use_energy = False
    opts.use_log_fbank = True
    opts.use_power = True
    extractor = knf.OnlineFbank(opts)
    extractor.accept_waveform(SAMPLE_RATE, (samples * 32768.0).tolist())
    extractor.input_finished()
    frames = [extractor.get_frame(i) for i in range(extractor.num_frames_ready)]
    if not frames:
        return np.zeros((0, BINS), dtype=np.float32)
    return np.asarray(frames, dtype=np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", help="16 kHz mono PCM16 .wav or raw float32 .f32")
    parser.add_argument("--window", choices=["povey", "hamming"], default="povey")
    parser.add_argument("--out", help="write frames x 80 float32 here instead of printing the features")
    args = parser.parse_args()
    features = fbank(read_samples(args.input), args.window)
    if args.out:
        features.astype("<f4").tofile(args.out)
        print(json.dumps({"frames": int(features.shape[0]), "bins": BINS}))
    else:
        print(json.dumps({"frames": int(features.shape[0]), "bins": BINS, "features": features.tolist()}))


if __name__ == "__main__":
    main()
