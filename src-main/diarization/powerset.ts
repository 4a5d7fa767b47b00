/**
 * pyannote segmentation-3.0 is a powerset model: for every frame it outputs log-probabilities over the sets of
 * simultaneously active local speakers (at most 3 local speakers, at most 2 at once) instead of one probability
 * per speaker. The class order is pyannote's `Powerset.build_mapping`: sets by size, then lexicographically.
 */
export const LOCAL_SPEAKERS = 3;
export const POWERSET_CLASSES = 7;

/** Local speakers in each powerset class, in the model's output order: ∅, {0}, {1}, {2}, {0,1}, {0,2}, {1,2}. */
export const POWERSET_MEMBERS: readonly (readonly number[])[] = [[], [0], [1], [2], [0, 1], [0, 2], [1, 2]];

function checkShape(logProbs: Float32Array, frames: number): void {
  if (!Number.isInteger(frames) || frames < 0 || logProbs.length !== frames * POWERSET_CLASSES) {
    throw new RangeError(`expected ${frames} frames × ${POWERSET_CLASSES} powerset classes, got ${logProbs.length} values`);
  }
}

/** Index of the largest value in row `frame`; ties go to the first, as torch.argmax. */
function argmaxClass(logProbs: Float32Array, frame: number): number {
  const offset = frame * POWERSET_CLASSES;
  let best = 0;
  for (let k = 1; k < POWERSET_CLASSES; k += 1) {
    if (logProbs[offset + k]! > logProbs[offset + best]!) best = k;
  }
  return best;
}

/**
 * Hard per-speaker activity (frames × 3, row-major, values 0 or 1) from the most likely powerset class of each
 * frame: pyannote's `Powerset.to_multilabel(soft=False)`.
 */
export function powersetToMultilabel(logProbs: Float32Array, frames: number): Float32Array {
  checkShape(logProbs, frames);
  const activity = new Float32Array(frames * LOCAL_SPEAKERS);
  for (let frame = 0; frame < frames; frame += 1) {
    for (const speaker of POWERSET_MEMBERS[argmaxClass(logProbs, frame)]!) {
      activity[frame * LOCAL_SPEAKERS + speaker] = 1;
    }
  }
  return activity;
}

/**
 * Soft per-speaker activity (frames × 3, row-major): the probability that each local speaker talks, i.e. the sum
 * of exp(log-probability) over the classes that contain it (`Powerset.to_multilabel(soft=True)`).
 */
export function powersetToSoftMultilabel(logProbs: Float32Array, frames: number): Float32Array {
  checkShape(logProbs, frames);
  const activity = new Float32Array(frames * LOCAL_SPEAKERS);
  const sums = new Float64Array(LOCAL_SPEAKERS);
  for (let frame = 0; frame < frames; frame += 1) {
    sums.fill(0);
    for (let k = 0; k < POWERSET_CLASSES; k += 1) {
      const probability = Math.exp(logProbs[frame * POWERSET_CLASSES + k]!);
      for (const speaker of POWERSET_MEMBERS[k]!) sums[speaker]! += probability;
    }
    activity.set(sums, frame * LOCAL_SPEAKERS);
  }
  return activity;
}
