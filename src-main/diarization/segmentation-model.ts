import { Tensor } from 'onnxruntime-node';
import { fail, ok, type Result } from '../../src-shared/result';
import type { ExecutionReport } from '../onnx/execution-provider';
import {
  declaredDimension,
  rankProblem,
  loadDiarizationSession,
  type DiarizationModelErrorCode,
  type DiarizationModelOptions,
  type GuardedSession,
} from './onnx-session';
import { POWERSET_CLASSES } from './powerset';
import { DEFAULT_WINDOW_SAMPLES } from './segmentation-windows';

export type { DiarizationModelErrorCode } from './onnx-session';

const INPUT = 'input_values';
const OUTPUT = 'logits';

/** pyannote segmentation-3.0 (ONNX): speaker activity of up to 3 local speakers in 10 s windows. */
export interface SpeakerSegmenter {
  /**
   * One result per window, in order. Each window is DEFAULT_WINDOW_SAMPLES (160000) samples of 16 kHz mono audio
   * in [-1, 1]; each result is frames × 7 powerset log-probabilities, row-major (589 frames for the real model).
   * All windows go through the model in one batch.
   */
  segment(windows: readonly Float32Array[]): Promise<Float32Array[]>;
  /** Releases the model once runs in flight have finished; later calls to `segment` throw. */
  dispose(): Promise<void>;
}

class OnnxSpeakerSegmenter implements SpeakerSegmenter {
  constructor(private readonly session: GuardedSession) {}

  async segment(windows: readonly Float32Array[]): Promise<Float32Array[]> {
    this.session.current();
    windows.forEach((window, index) => {
      if (window.length !== DEFAULT_WINDOW_SAMPLES) {
        throw new RangeError(`window ${index} has ${window.length} samples, the model takes ${DEFAULT_WINDOW_SAMPLES}`);
      }
    });
    if (windows.length === 0) return [];
    const batch = new Float32Array(windows.length * DEFAULT_WINDOW_SAMPLES);
    windows.forEach((window, index) => batch.set(window, index * DEFAULT_WINDOW_SAMPLES));
    const outputs = await this.session.run({
      [this.session.io.input]: new Tensor('float32', batch, [windows.length, 1, DEFAULT_WINDOW_SAMPLES]),
    });
    const logits = outputs[this.session.io.output];
    const dims = logits?.dims ?? [];
    const frames = dims[1] ?? 0;
    if (
      logits === undefined ||
      logits.type !== 'float32' ||
      dims.length !== 3 ||
      dims[0] !== windows.length ||
      dims[2] !== POWERSET_CLASSES
    ) {
      throw new Error(
        `segmentation model returned ${this.session.io.output} of shape [${dims.join(', ')}], expected [${windows.length}, frames, ${POWERSET_CLASSES}]`,
      );
    }
    const values = logits.data as Float32Array;
    const perWindow = frames * POWERSET_CLASSES;
    return windows.map((_, index) => values.slice(index * perWindow, (index + 1) * perWindow));
  }

  dispose(): Promise<void> {
    return this.session.dispose();
  }
}

/** Loads a pyannote segmentation-3.0 ONNX export (input `input_values` [batch, 1, samples], output `logits`). */
export async function loadOnnxSegmenter(
  options: DiarizationModelOptions,
): Promise<Result<{ segmenter: SpeakerSegmenter; execution: ExecutionReport }, DiarizationModelErrorCode>> {
  const loaded = await loadDiarizationSession(
    options,
    {
      description: 'a pyannote segmentation-3.0 model',
      input: INPUT,
      output: OUTPUT,
      check: (session, io) => {
        const rank = rankProblem(session, io, 3, 3);
        if (rank !== null) return rank;
        const classes = declaredDimension(session.outputMetadata, io.output, 2);
        return classes === null || classes === POWERSET_CLASSES
          ? null
          : `${io.output} has ${classes} classes per frame, expected ${POWERSET_CLASSES}`;
      },
    },
    'SpeakerSegmenter',
  );
  if (!loaded.ok) return fail(loaded.error.code, loaded.error.message, loaded.error.subject);
  return ok({ segmenter: new OnnxSpeakerSegmenter(loaded.value.session), execution: loaded.value.execution });
}
