"""Handcrafted stand-ins for the diarization models: DSP graphs with the real models' ONNX interfaces.

They are not trained. They exist so that tests can run onnxruntime and the diarization plumbing on real
speech without downloading anything, and get answers that mean something on synthetic two-voice audio.

pyannote-segmentation-3.0/onnx/model.onnx -- interface of onnx-community/pyannote-segmentation-3.0:
    input_values float32 [batch, 1, samples] -> logits float32 [batch, frames, 7], log-softmax over the
    powerset classes {}, {0}, {1}, {2}, {0,1}, {0,2}, {1,2}; frame i covers samples [270 i, 270 i + 991).
    Per frame: the energy of the voice-pitch bands (60-135 Hz + 155-350 Hz) says speech or silence, and the
    ratio between the two bands, pooled over 5 frames, says a low voice (f0 below ~135 Hz: local speaker 0)
    or a high one (local speaker 1). Where that ratio is ambiguous the two speakers together ({0,1}) get a
    share. Scores are squashed so every log-probability stays finite and the output stays soft (no class
    goes above ~0.95).

wespeaker-voxceleb-resnet34-LM/onnx/model.onnx -- interface of the WeSpeaker ResNet34 export:
    feats float32 [batch, frames, 80] (Kaldi fbank, mean-normalised by the caller) -> embs float32 [batch, 256].
    Per frame, the differences between neighbouring mel bins (the spectral fine structure, which follows the
    voice's pitch and formants and which the caller's mean normalisation leaves alone); then mean and standard
    deviation pooling over frames; the log standard deviations are centred so that loudness drops out; then a
    fixed seeded random projection to 256.

Only numpy and onnx; the same arguments give byte-identical files.
"""

import argparse
import math
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
SAMPLE_RATE = 16000

SEGMENTATION_DIR = "pyannote-segmentation-3.0"
EMBEDDING_DIR = "wespeaker-voxceleb-resnet34-LM"
# The same stand-in under the id of the default embedding model (CAM++), so tests that resolve the catalog's
# default find an installed model. Its interface is the same (feats -> embs); only the size differs (256, not 192).
CAMPPLUS_DIR = "campplus-3dspeaker-zh_en-common"

# Segmentation frame timing (pyannote segmentation-3.0's receptive field).
FRAME_STEP = 270
FRAME_LENGTH = 991
POWERSET_CLASSES = 7

# The pitch cues are measured at 1600 Hz: every 10th sample after an anti-alias low-pass. 10 divides the
# frame step, so a frame is 27 decimated samples apart from the next and about 99 long.
DECIMATION = 10
DECIMATED_RATE = SAMPLE_RATE // DECIMATION
ANTI_ALIAS_TAPS = 161
ANTI_ALIAS_CUTOFF_HZ = 650.0
BAND_TAPS = 241
LOW_BAND_HZ = (60.0, 135.0)
HIGH_BAND_HZ = (155.0, 350.0)
DECIMATED_STEP = FRAME_STEP // DECIMATION
DECIMATED_LENGTH = round(FRAME_LENGTH / DECIMATION)  # 99: 990 of the 991 samples

# Decision constants, tuned on espeak-ng en-us+m1/m3/m4/m7 against +f1/f3/f4/f5 (see tools/models/README.md).
ENERGY_FLOOR = 1e-10
SPEECH_LOG10_ENERGY = -4.3  # mean square of the two bands together: RMS about -43 dBFS
SPEECH_LOG10_WIDTH = 0.5
PITCH_LOG10_RATIO = -1.55  # log10(low band / high band) halfway between the low voices and the high ones
PITCH_LOG10_WIDTH = 0.4
# Weak frames between syllables take the pitch of the voiced frames around them.
PITCH_CONTEXT_FRAMES = 5
# Speech and pitch scores lie in [-3, 3]: P(speech) stays within sigmoid(+-3), about 0.05..0.95.
SCORE_LIMIT = 3.0

# Speaker classes {0} ... {1,2} from the pitch cues p (low voice > 0) and |p|; log-softmaxed among
# themselves, then shifted by the speech score so that speech vs silence depends on energy alone.
SPEAKER_CLASS_WEIGHTS = np.array(
    [
        [1.0, 0.0],  # {0}: low voice
        [-1.0, 0.0],  # {1}: high voice
        [0.0, 0.0],  # {2}: never the best
        [0.0, -1.5],  # {0,1}: only where the pitch cue is ambiguous
        [0.0, 0.0],  # {0,2}
        [0.0, 0.0],  # {1,2}
    ],
    dtype=np.float32,
)
SPEAKER_CLASS_BIASES = np.array([0.0, 0.0, -8.0, 1.0, -8.0, -8.0], dtype=np.float32)

FBANK_BINS = 80
EMBEDDING_DIM = 256
EMBEDDING_SEED = 20240606
STD_FLOOR = 1e-5


def windowed_sinc_band(low_hz: float, high_hz: float, taps: int, rate: int) -> np.ndarray:
    """Linear-phase FIR band-pass (low-pass when low_hz is 0): difference of two windowed sincs."""
    t = np.arange(taps, dtype=np.float64) - (taps - 1) / 2
    def lowpass(cutoff: float) -> np.ndarray:
        return (2 * cutoff / rate) * np.sinc(2 * cutoff / rate * t)
    kernel = lowpass(high_hz) - (lowpass(low_hz) if low_hz > 0 else 0.0)
    return kernel * np.hamming(taps)


def const(name: str, array: np.ndarray) -> onnx.NodeProto:
    return helper.make_node("Constant", [], [name], value=numpy_helper.from_array(array, name))


def scalar(name: str, value: float) -> onnx.NodeProto:
    return const(name, np.array(value, dtype=np.float32))


def int64s(name: str, values: list[int]) -> onnx.NodeProto:
    return const(name, np.array(values, dtype=np.int64))


def segmentation_graph() -> onnx.ModelProto:
    anti_alias = windowed_sinc_band(0.0, ANTI_ALIAS_CUTOFF_HZ, ANTI_ALIAS_TAPS, SAMPLE_RATE)
    bands = np.stack(
        [
            windowed_sinc_band(*LOW_BAND_HZ, BAND_TAPS, DECIMATED_RATE),
            windowed_sinc_band(*HIGH_BAND_HZ, BAND_TAPS, DECIMATED_RATE),
        ]
    )
    initializers = [
        numpy_helper.from_array(anti_alias.astype(np.float32).reshape(1, 1, -1), "anti_alias"),
        numpy_helper.from_array(bands.astype(np.float32).reshape(2, 1, -1), "band_pass"),
        numpy_helper.from_array(SPEAKER_CLASS_WEIGHTS.T.copy(), "speaker_class_weights"),
        numpy_helper.from_array(SPEAKER_CLASS_BIASES, "speaker_class_biases"),
    ]
    half_aa = (ANTI_ALIAS_TAPS - 1) // 2
    half_band = (BAND_TAPS - 1) // 2
    nodes = [
        # Decimated sample j is centred on input sample 10 j: ceil(samples / 10) of them.
        helper.make_node("Conv", ["input_values", "anti_alias"], ["decimated"], strides=[DECIMATION], pads=[half_aa, half_aa]),
        helper.make_node("Conv", ["decimated", "band_pass"], ["bands"], pads=[half_band, half_band]),
        helper.make_node("Mul", ["bands", "bands"], ["band_power"]),
        # Zeros at the end so that short inputs still give a frame; the frame count is cut to the exact one last.
        int64s("power_pads", [0, 0, 0, 0, 0, DECIMATED_LENGTH - 1]),
        helper.make_node("Pad", ["band_power", "power_pads"], ["padded_power"]),
        helper.make_node("AveragePool", ["padded_power"], ["pooled_power"], kernel_shape=[DECIMATED_LENGTH], strides=[DECIMATED_STEP], pads=[0, 0]),
        # frames = max(samples - 991 + 270, 0) // 270 = floor((samples - 991) / 270) + 1 for whole frames, else 0.
        helper.make_node("Shape", ["input_values"], ["input_shape"]),
        int64s("samples_axis", [2]),
        helper.make_node("Gather", ["input_shape", "samples_axis"], ["samples"], axis=0),
        int64s("frame_slack", [FRAME_STEP - FRAME_LENGTH]),
        int64s("zero", [0]),
        int64s("frame_step", [FRAME_STEP]),
        helper.make_node("Add", ["samples", "frame_slack"], ["slack_samples"]),
        helper.make_node("Max", ["slack_samples", "zero"], ["whole_samples"]),
        helper.make_node("Div", ["whole_samples", "frame_step"], ["frames"]),
        scalar("energy_floor", ENERGY_FLOOR),
        helper.make_node("Add", ["pooled_power", "energy_floor"], ["floored_power"]),
        helper.make_node(
            "AveragePool", ["floored_power"], ["context_power"],
            kernel_shape=[PITCH_CONTEXT_FRAMES], strides=[1], pads=[PITCH_CONTEXT_FRAMES // 2] * 2,
        ),
        helper.make_node("Log", ["context_power"], ["log_power"]),
        scalar("log10_scale", 1 / math.log(10)),
        helper.make_node("Mul", ["log_power", "log10_scale"], ["log10_power"]),
        int64s("split_sizes", [1, 1]),
        helper.make_node("Split", ["log10_power", "split_sizes"], ["log10_low", "log10_high"], axis=1),
        int64s("band_axis", [1]),
        helper.make_node("ReduceSum", ["floored_power", "band_axis"], ["voice_power"], keepdims=1),
        helper.make_node("Log", ["voice_power"], ["log_voice_power"]),
        helper.make_node("Mul", ["log_voice_power", "log10_scale"], ["log10_voice_power"]),
        # Speech score: squashed distance of the voice-band energy from the speech threshold.
        scalar("speech_threshold", SPEECH_LOG10_ENERGY),
        scalar("speech_width", SPEECH_LOG10_WIDTH),
        scalar("score_limit", SCORE_LIMIT),
        helper.make_node("Sub", ["log10_voice_power", "speech_threshold"], ["speech_margin"]),
        helper.make_node("Div", ["speech_margin", "speech_width"], ["speech_z"]),
        helper.make_node("Tanh", ["speech_z"], ["speech_tanh"]),
        helper.make_node("Mul", ["speech_tanh", "score_limit"], ["speech_score"]),
        # Pitch score: positive where the band below 150 Hz holds a large share (a low voice's fundamental).
        helper.make_node("Sub", ["log10_low", "log10_high"], ["log10_ratio"]),
        scalar("pitch_threshold", PITCH_LOG10_RATIO),
        scalar("pitch_width", PITCH_LOG10_WIDTH),
        helper.make_node("Sub", ["log10_ratio", "pitch_threshold"], ["pitch_margin"]),
        helper.make_node("Div", ["pitch_margin", "pitch_width"], ["pitch_z"]),
        helper.make_node("Tanh", ["pitch_z"], ["pitch_tanh"]),
        helper.make_node("Mul", ["pitch_tanh", "score_limit"], ["pitch_score"]),
        helper.make_node("Abs", ["pitch_score"], ["pitch_certainty"]),
        helper.make_node("Concat", ["pitch_score", "pitch_certainty"], ["pitch_cues"], axis=1),
        helper.make_node("Transpose", ["pitch_cues"], ["frame_pitch_cues"], perm=[0, 2, 1]),
        helper.make_node("MatMul", ["frame_pitch_cues", "speaker_class_weights"], ["speaker_products"]),
        helper.make_node("Add", ["speaker_products", "speaker_class_biases"], ["speaker_scores"]),
        helper.make_node("LogSoftmax", ["speaker_scores"], ["speaker_log_probs"], axis=-1),
        helper.make_node("Transpose", ["speech_score"], ["frame_speech_score"], perm=[0, 2, 1]),
        helper.make_node("Add", ["speaker_log_probs", "frame_speech_score"], ["speech_scores"]),
        scalar("zero_score", 0.0),
        helper.make_node("Mul", ["frame_speech_score", "zero_score"], ["silence_score"]),
        helper.make_node("Concat", ["silence_score", "speech_scores"], ["class_scores"], axis=-1),
        helper.make_node("LogSoftmax", ["class_scores"], ["all_logits"], axis=-1),
        # Only whole receptive fields, as the real model: the padded tail pooled one frame too many, or more.
        int64s("frame_axis", [1]),
        helper.make_node("Slice", ["all_logits", "zero", "frames", "frame_axis"], ["logits"]),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny_pyannote_segmentation",
        [helper.make_tensor_value_info("input_values", TensorProto.FLOAT, ["batch_size", 1, "num_samples"])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch_size", "num_frames", POWERSET_CLASSES])],
        initializers,
    )
    return finish(graph, "gen_tiny_diarization segmentation")


def embedding_graph() -> onnx.ModelProto:
    differences = np.zeros((FBANK_BINS, FBANK_BINS - 1), dtype=np.float32)
    for column in range(FBANK_BINS - 1):
        differences[column, column] = -1.0
        differences[column + 1, column] = 1.0
    pooled = 2 * (FBANK_BINS - 1)
    rng = np.random.default_rng(EMBEDDING_SEED)
    projection = (rng.standard_normal((pooled, EMBEDDING_DIM)) / math.sqrt(pooled)).astype(np.float32)
    initializers = [
        numpy_helper.from_array(differences, "bin_differences"),
        numpy_helper.from_array(projection, "projection"),
    ]
    nodes = [
        helper.make_node("MatMul", ["feats", "bin_differences"], ["fine_structure"]),
        helper.make_node("ReduceMean", ["fine_structure"], ["mean"], axes=[1], keepdims=0),
        helper.make_node("Mul", ["fine_structure", "fine_structure"], ["squares"]),
        helper.make_node("ReduceMean", ["squares"], ["mean_square"], axes=[1], keepdims=0),
        helper.make_node("Mul", ["mean", "mean"], ["square_mean"]),
        helper.make_node("Sub", ["mean_square", "square_mean"], ["variance"]),
        scalar("variance_floor", STD_FLOOR * STD_FLOOR),
        helper.make_node("Max", ["variance", "variance_floor"], ["floored_variance"]),
        # log(std) = log(variance) / 2, centred over the bins: a louder or quieter clip gives the same values.
        helper.make_node("Log", ["floored_variance"], ["log_variance"]),
        scalar("half", 0.5),
        helper.make_node("Mul", ["log_variance", "half"], ["log_std"]),
        helper.make_node("ReduceMean", ["log_std"], ["log_std_level"], axes=[1], keepdims=1),
        helper.make_node("Sub", ["log_std", "log_std_level"], ["log_std_shape"]),
        helper.make_node("Concat", ["mean", "log_std_shape"], ["statistics"], axis=1),
        helper.make_node("MatMul", ["statistics", "projection"], ["embs"]),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny_wespeaker_embedding",
        [helper.make_tensor_value_info("feats", TensorProto.FLOAT, ["B", "T", FBANK_BINS])],
        [helper.make_tensor_value_info("embs", TensorProto.FLOAT, ["B", EMBEDDING_DIM])],
        initializers,
    )
    return finish(graph, "gen_tiny_diarization embedding")


def finish(graph: onnx.GraphProto, producer: str) -> onnx.ModelProto:
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name=producer)
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    return model


README = """Handcrafted stand-ins for pyannote segmentation-3.0 and WeSpeaker ResNet34, written by
tools/models/gen_tiny_diarization.py. These are fixed DSP graphs, NOT trained models: they only share the
real models' ONNX inputs and outputs.

pyannote-segmentation-3.0/onnx/model.onnx: input_values [batch, 1, samples] -> logits [batch, frames, 7] (powerset
log-probabilities). Silence -> {}, a low-pitched voice (f0 below ~150 Hz) -> {0}, a high one -> {1}.
wespeaker-voxceleb-resnet34-LM/onnx/model.onnx (and the same file as campplus-3dspeaker-zh_en-common/onnx/model.onnx):
feats [batch, frames, 80] (mean-normalised Kaldi fbank) -> embs [batch, 256].
Statistics of the spectral fine structure under a fixed random projection: voices with different pitch
and timbre point in different directions.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="folder to write pyannote-segmentation-3.0/, wespeaker-voxceleb-resnet34-LM/, campplus-3dspeaker-zh_en-common/ and README.txt into")
    args = parser.parse_args()
    out = Path(args.out)
    # Folders named like the catalog ids (models/catalog.json), so the app finds them as installed models.
    (out / SEGMENTATION_DIR / "onnx").mkdir(parents=True, exist_ok=True)
    (out / EMBEDDING_DIR / "onnx").mkdir(parents=True, exist_ok=True)
    (out / CAMPPLUS_DIR / "onnx").mkdir(parents=True, exist_ok=True)
    onnx.save(segmentation_graph(), out / SEGMENTATION_DIR / "onnx" / "model.onnx")
    onnx.save(embedding_graph(), out / EMBEDDING_DIR / "onnx" / "model.onnx")
    onnx.save(embedding_graph(), out / CAMPPLUS_DIR / "onnx" / "model.onnx")
    (out / "README.txt").write_text(README)


if __name__ == "__main__":
    main()
