import { describe, expect, it } from 'vitest';
import { LOCAL_SPEAKERS, POWERSET_CLASSES, powersetToMultilabel, powersetToSoftMultilabel } from '../../src-main/diarization/powerset';

/** Speakers each class stands for, written out from pyannote's order ∅, {0}, {1}, {2}, {0,1}, {0,2}, {1,2}. */
const EXPECTED_ROWS = [
  [0, 0, 0],
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
  [1, 1, 0],
  [1, 0, 1],
  [0, 1, 1],
];

/** One frame per entry: log-probabilities where `winner` holds 0.7 and the others share the rest. */
function logProbsFavouring(winners: readonly number[]): Float32Array {
  const logProbs = new Float32Array(winners.length * POWERSET_CLASSES);
  winners.forEach((winner, frame) => {
    for (let k = 0; k < POWERSET_CLASSES; k += 1) {
      logProbs[frame * POWERSET_CLASSES + k] = Math.log(k === winner ? 0.7 : 0.05);
    }
  });
  return logProbs;
}

const rows = (activity: Float32Array): number[][] =>
  Array.from({ length: activity.length / LOCAL_SPEAKERS }, (_, frame) =>
    Array.from(activity.subarray(frame * LOCAL_SPEAKERS, (frame + 1) * LOCAL_SPEAKERS)),
  );

describe('powersetToMultilabel', () => {
  it('maps the most likely class of each frame to its speakers', () => {
    for (let winner = 0; winner < POWERSET_CLASSES; winner += 1) {
      expect(rows(powersetToMultilabel(logProbsFavouring([winner]), 1)), `class ${winner}`).toEqual([EXPECTED_ROWS[winner]]);
    }
  });

  it('decodes every frame of a multi-frame array independently', () => {
    const winners = [4, 0, 6, 1, 1, 5, 3, 2];
    expect(rows(powersetToMultilabel(logProbsFavouring(winners), winners.length))).toEqual(winners.map((winner) => EXPECTED_ROWS[winner]));
  });

  it('breaks ties towards the first class, as torch.argmax', () => {
    const logProbs = new Float32Array(POWERSET_CLASSES).fill(-5);
    logProbs[2] = -0.5;
    logProbs[5] = -0.5;
    expect(rows(powersetToMultilabel(logProbs, 1))).toEqual([[0, 1, 0]]);
  });

  it('rejects arrays that are not frames × 7', () => {
    expect(() => powersetToMultilabel(new Float32Array(13), 2)).toThrow(RangeError);
  });
});

describe('powersetToSoftMultilabel', () => {
  it('gives each speaker the summed probability of the classes containing it', () => {
    const probabilities = [0.05, 0.1, 0.15, 0.2, 0.25, 0.15, 0.1];
    const logProbs = Float32Array.from(probabilities, Math.log);
    const [row] = rows(powersetToSoftMultilabel(logProbs, 1));
    // speaker 0: {0} + {0,1} + {0,2}; speaker 1: {1} + {0,1} + {1,2}; speaker 2: {2} + {0,2} + {1,2}.
    expect(row![0]).toBeCloseTo(0.1 + 0.25 + 0.15, 6);
    expect(row![1]).toBeCloseTo(0.15 + 0.25 + 0.1, 6);
    expect(row![2]).toBeCloseTo(0.2 + 0.15 + 0.1, 6);
  });

  it('gives a certain class full probability for exactly its speakers', () => {
    const logProbs = new Float32Array(2 * POWERSET_CLASSES).fill(-Infinity);
    logProbs[5] = 0; // frame 0: {0,2}
    logProbs[POWERSET_CLASSES + 0] = 0; // frame 1: silence
    expect(rows(powersetToSoftMultilabel(logProbs, 2))).toEqual([
      [1, 0, 1],
      [0, 0, 0],
    ]);
  });
});
