import { describe, expect, it } from 'vitest';
import { SpeakerPieceTracker, voicedParts, type SpeakerPiece, type VoicedFrames } from '../../src-main/diarization/speaker-pieces';
import { centre, STEP, windowActivity } from './window-activity';

function run(windows: [number, Record<number, [number, number][]>][]): SpeakerPiece[] {
  const tracker = new SpeakerPieceTracker();
  const pieces: SpeakerPiece[] = [];
  for (const [start, speakers] of windows) pieces.push(...tracker.push(start, windowActivity(start, speakers)));
  pieces.push(...tracker.finish());
  return pieces;
}

const seconds = (piece: SpeakerPiece): [number, number] => [centre(piece.frames[0]!), centre(piece.frames[piece.frames.length - 1]!)];

describe('SpeakerPieceTracker', () => {
  it('follows one voice across windows whose local speaker numbers differ, in pieces of about 2 s, each frame once', () => {
    // The same voice from 1 s to 13 s: local speaker 0 in the first window, 2 in the second, 1 in the third.
    const pieces = run([
      [0, { 0: [[1, 13]] }],
      [STEP, { 2: [[1, 13]] }],
      [2 * STEP, { 1: [[1, 13]] }],
    ]);
    expect(new Set(pieces.map((piece) => piece.track)).size).toBe(1);
    const frames = pieces.flatMap((piece) => Array.from(piece.frames)).sort((a, b) => a - b);
    expect(new Set(frames).size).toBe(frames.length);
    expect(centre(frames[0]!)).toBeCloseTo(1, 1);
    expect(centre(frames.at(-1)!)).toBeCloseTo(13, 1);
    // 12 s closed at 10 s: one 10 s run in 5 pieces, then a 2 s run.
    for (const piece of pieces) {
      const [from, to] = seconds(piece);
      expect(to - from).toBeGreaterThan(1.5);
      expect(to - from).toBeLessThan(2.5);
    }
  });

  it('ends a run at a pause, keeps overlapped speech for both voices, and embeds each from where it talks alone', () => {
    const pieces = run([
      [
        0,
        {
          0: [
            [0.5, 2.5],
            [3.5, 5],
          ],
          1: [[2, 4.5]],
        },
      ],
      [STEP, { 0: [[0, 1]] }],
    ]);
    const byTrack = new Map<number, SpeakerPiece[]>();
    for (const piece of pieces) byTrack.set(piece.track, [...(byTrack.get(piece.track) ?? []), piece]);
    expect(byTrack.size).toBe(2);
    const [first, second] = [...byTrack.values()];
    // Voice 0 paused 2.5–3.5 s (1 s ≥ 0.3 s): two runs.
    expect(first!.map(seconds).map(([from]) => Math.round(from * 2) / 2)).toEqual([0.5, 3.5]);
    // Voice 1 overlaps voice 0 on 2–2.5 s and 3.5–4.5 s; its embedding uses 2.5–3.5 s only (1 s, alone).
    const overlapped = second![0]!;
    const [from, to] = seconds(overlapped);
    expect(from).toBeCloseTo(2, 1);
    expect(to).toBeCloseTo(4.5, 1);
    const clean = Array.from(overlapped.embeddingFrames, centre);
    expect(Math.min(...clean)).toBeGreaterThanOrEqual(2.45);
    expect(Math.max(...clean)).toBeLessThan(3.55);
  });

  it('finds nothing in silence', () => {
    expect(
      run([
        [0, {}],
        [STEP, {}],
      ]),
    ).toEqual([]);
    expect(new SpeakerPieceTracker().finish()).toEqual([]);
  });
});

describe('SpeakerPieceTracker with a voice-activity detector', () => {
  /** Hears speech where the frame centre falls in one of `spans` (seconds). */
  const detector = (spans: [number, number][]): VoicedFrames => ({
    isVoiced: (frame) => spans.some(([from, to]) => centre(frame) >= from && centre(frame) < to),
  });

  function runWith(voice: VoicedFrames, windows: [number, Record<number, [number, number][]>][]): SpeakerPiece[] {
    const tracker = new SpeakerPieceTracker({}, voice);
    const pieces: SpeakerPiece[] = [];
    for (const [start, speakers] of windows) pieces.push(...tracker.push(start, windowActivity(start, speakers)));
    pieces.push(...tracker.finish());
    return pieces;
  }

  it('cuts a run where the detector hears a pause the segmentation bridged, and embeds only heard frames', () => {
    // One local speaker talks 1–5 s without a pause; the detector hears 1–2.8 s and 3.2–5 s.
    const pieces = runWith(
      detector([
        [1, 2.8],
        [3.2, 5],
      ]),
      [
        [0, { 0: [[1, 5]] }],
        [STEP, {}],
      ],
    );
    expect(pieces).toHaveLength(2);
    const [first, second] = pieces.map(seconds);
    expect(first![0]).toBeCloseTo(1, 1);
    expect(first![1]).toBeCloseTo(3, 1);
    expect(second![0]).toBeCloseTo(3, 1);
    expect(second![1]).toBeCloseTo(5, 1);
    // The pause's frames go to the nearer side, and no piece is embedded from them.
    for (const piece of pieces) {
      for (const frame of piece.embeddingFrames) expect(centre(frame) < 2.8 || centre(frame) >= 3.2).toBe(true);
    }
  });

  it('drops a run in which the detector hears nothing at all', () => {
    const pieces = runWith(detector([[1, 3]]), [
      [0, { 0: [[1, 3]], 1: [[6, 8]] }],
      [STEP, {}],
    ]);
    expect(pieces.map(seconds).map(([from]) => Math.round(from))).toEqual([1]);
  });
});

describe('voicedParts', () => {
  it('splits at the middle of each inner pause; leading and trailing unheard frames join the nearest part', () => {
    expect(voicedParts([0, 1, 1, 0, 0, 0, 0, 1, 1, 0])).toEqual([
      [0, 5],
      [5, 10],
    ]);
    expect(voicedParts([1, 1, 1])).toEqual([[0, 3]]);
    expect(voicedParts([0, 0])).toEqual([[0, 2]]);
    expect(voicedParts([1, 0, 1, 0, 1])).toEqual([
      [0, 1],
      [1, 3],
      [3, 5],
    ]);
  });
});
