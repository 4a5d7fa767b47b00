import { fail, ok, type Result } from '../../src-shared/result';
import type { SpeakerTurn } from './types';

export interface DerOptions {
  /** Seconds either side of every reference turn start and end left out of scoring (md-eval `-c`). Default 0.25. */
  collar?: number;
  /** Leave out regions where two or more reference speakers talk at once (md-eval `-1`). Default false. */
  skipOverlap?: boolean;
}

/** Times are speaker-seconds over the scored region: overlapped speech counts once per speaker. */
export interface DiarizationScore {
  scoredSpeech: number;
  missed: number;
  falseAlarm: number;
  confusion: number;
  /**
   * (missed + falseAlarm + confusion) / scoredSpeech. With no scored speech: 0 if nothing was wrong,
   * Infinity if there were errors (hypothesis speech only).
   */
  der: number;
  /** Hypothesis speaker → the reference speaker it was mapped to; unmapped hypothesis speakers are absent. */
  speakerMapping: Record<string, string>;
}

export type DerErrorCode = 'DER_INVALID_TURN' | 'DER_INVALID_OPTION';

export const DEFAULT_COLLAR_SECONDS = 0.25;

/**
 * Diarization error rate as NIST md-eval defines it. Time is cut into elementary segments at every
 * turn and collar boundary; in each scored segment with nRef reference and nHyp hypothesis speakers,
 * missed += max(0, nRef − nHyp), false alarm += max(0, nHyp − nRef) and confusion +=
 * min(nRef, nHyp) − (mapped pairs talking in both), per second. As in md-eval, the one-to-one
 * speaker mapping maximises overlap time over all of the audio, before collars and overlap are removed.
 * Unlike md-eval run without a UEM file (which scores only from the first to the last reference turn),
 * all time is scored, so hypothesis speech before or after the reference counts as false alarm.
 */
export function scoreDiarization(
  reference: readonly SpeakerTurn[],
  hypothesis: readonly SpeakerTurn[],
  options: DerOptions = {},
): Result<DiarizationScore, DerErrorCode> {
  const collar = options.collar ?? DEFAULT_COLLAR_SECONDS;
  if (!Number.isFinite(collar) || collar < 0) {
    return fail('DER_INVALID_OPTION', `collar must be a finite number of seconds ≥ 0, got ${collar}`);
  }
  const invalid = findInvalidTurn(reference, 'reference') ?? findInvalidTurn(hypothesis, 'hypothesis');
  if (invalid !== undefined) return fail('DER_INVALID_TURN', invalid);

  const refTracks = speakerTracks(reference);
  const hypTracks = speakerTracks(hypothesis);
  const noScoreZones = collar > 0 ? collarZones(reference, collar) : [];
  const segments = elementarySegments(refTracks, hypTracks, noScoreZones);

  const overlap = refTracks.map(() => hypTracks.map(() => 0));
  for (const segment of segments) {
    for (const r of segment.ref) for (const h of segment.hyp) overlap[r]![h]! += segment.duration;
  }
  const hypForRef = maxWeightAssignment(overlap);
  const refForHyp = new Array<number>(hypTracks.length).fill(-1);
  const mapped = new Map<string, string>();
  hypForRef.forEach((h, r) => {
    // A pair that never talks together is no match; md-eval only maps speakers that overlap.
    if (h < 0 || overlap[r]![h]! <= 0) return;
    refForHyp[h] = r;
    mapped.set(hypTracks[h]!.speaker, refTracks[r]!.speaker);
  });

  let scoredSpeech = 0;
  let missed = 0;
  let falseAlarm = 0;
  let confusion = 0;
  for (const segment of segments) {
    const nRef = segment.ref.length;
    const nHyp = segment.hyp.length;
    if (!segment.scored || (options.skipOverlap === true && nRef > 1)) continue;
    const correct = segment.hyp.filter((h) => segment.ref.includes(refForHyp[h]!)).length;
    scoredSpeech += nRef * segment.duration;
    missed += Math.max(0, nRef - nHyp) * segment.duration;
    falseAlarm += Math.max(0, nHyp - nRef) * segment.duration;
    confusion += (Math.min(nRef, nHyp) - correct) * segment.duration;
  }
  const errors = missed + falseAlarm + confusion;
  const der = scoredSpeech > 0 ? errors / scoredSpeech : errors > 0 ? Infinity : 0;
  return ok({ scoredSpeech, missed, falseAlarm, confusion, der, speakerMapping: Object.fromEntries(mapped) });
}

interface Interval {
  start: number;
  end: number;
}

interface SpeakerTrack {
  speaker: string;
  /** Sorted, disjoint: a speaker's own overlapping or touching turns merged, empty ones dropped. */
  intervals: Interval[];
}

interface ElementarySegment {
  duration: number;
  /** Indices into the reference and hypothesis tracks of the speakers talking throughout. */
  ref: number[];
  hyp: number[];
  scored: boolean;
}

function findInvalidTurn(turns: readonly SpeakerTurn[], role: string): string | undefined {
  const index = turns.findIndex((turn) => !Number.isFinite(turn.start) || !Number.isFinite(turn.end) || turn.end < turn.start);
  if (index < 0) return undefined;
  const turn = turns[index]!;
  const times = `${turn.start}–${turn.end}`;
  return `${role} turn ${index} (${turn.speaker}: ${times}) must have finite times with end ≥ start`;
}

function speakerTracks(turns: readonly SpeakerTurn[]): SpeakerTrack[] {
  const bySpeaker = new Map<string, Interval[]>();
  for (const turn of turns) {
    if (turn.end <= turn.start) continue;
    const intervals = bySpeaker.get(turn.speaker) ?? [];
    intervals.push({ start: turn.start, end: turn.end });
    bySpeaker.set(turn.speaker, intervals);
  }
  return [...bySpeaker.keys()].sort().map((speaker) => ({ speaker, intervals: mergeIntervals(bySpeaker.get(speaker) ?? []) }));
}

function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

/** md-eval puts a no-score zone around each reference turn's start and end as written, before any merging. */
function collarZones(reference: readonly SpeakerTurn[], collar: number): Interval[] {
  return reference.flatMap((turn) => [
    { start: turn.start - collar, end: turn.start + collar },
    { start: turn.end - collar, end: turn.end + collar },
  ]);
}

interface Boundary {
  time: number;
  delta: 1 | -1;
  kind: 'ref' | 'hyp' | 'noScore';
  track: number;
}

/** Sweeps boundaries in time order; emits each stretch where anyone talks, with who talks and whether it is scored. */
function elementarySegments(
  refTracks: readonly SpeakerTrack[],
  hypTracks: readonly SpeakerTrack[],
  noScoreZones: readonly Interval[],
): ElementarySegment[] {
  const boundaries: Boundary[] = [];
  const addInterval = (interval: Interval, kind: Boundary['kind'], track: number): void => {
    boundaries.push({ time: interval.start, delta: 1, kind, track }, { time: interval.end, delta: -1, kind, track });
  };
  refTracks.forEach((track, index) => track.intervals.forEach((interval) => addInterval(interval, 'ref', index)));
  hypTracks.forEach((track, index) => track.intervals.forEach((interval) => addInterval(interval, 'hyp', index)));
  noScoreZones.forEach((zone) => addInterval(zone, 'noScore', -1));
  boundaries.sort((a, b) => a.time - b.time);

  const activeRef = new Set<number>();
  const activeHyp = new Set<number>();
  let noScoreDepth = 0;
  let previousTime = -Infinity;
  const segments: ElementarySegment[] = [];
  for (const boundary of boundaries) {
    // Every boundary at one instant is applied before the next stretch is emitted.
    if (boundary.time > previousTime && (activeRef.size > 0 || activeHyp.size > 0)) {
      segments.push({
        duration: boundary.time - previousTime,
        ref: [...activeRef],
        hyp: [...activeHyp],
        scored: noScoreDepth === 0,
      });
    }
    previousTime = boundary.time;
    if (boundary.kind === 'noScore') noScoreDepth += boundary.delta;
    else {
      const active = boundary.kind === 'ref' ? activeRef : activeHyp;
      if (boundary.delta > 0) active.add(boundary.track);
      else active.delete(boundary.track);
    }
  }
  return segments;
}

/**
 * Hungarian algorithm (Kuhn–Munkres with potentials, O(n²·m)) on a rectangular weight matrix:
 * the one-to-one assignment of rows to columns with the largest total weight. Returns, for each
 * row, its column, or −1 when there are more rows than columns and the row is left out.
 */
export function maxWeightAssignment(weights: readonly (readonly number[])[]): number[] {
  const rows = weights.length;
  const columns = rows === 0 ? 0 : weights[0]!.length;
  if (rows === 0 || columns === 0) return new Array<number>(rows).fill(-1);
  if (rows > columns) {
    const transposed = Array.from({ length: columns }, (_, c) => weights.map((row) => row[c]!));
    const rowForColumn = maxWeightAssignment(transposed);
    const columnForRow = new Array<number>(rows).fill(-1);
    rowForColumn.forEach((row, column) => {
      if (row >= 0) columnForRow[row] = column;
    });
    return columnForRow;
  }

  // Minimises cost = −weight. 1-based: index 0 is the virtual start column / unassigned row.
  const cost = (row: number, column: number): number => -weights[row - 1]![column - 1]!;
  const rowPotential = new Float64Array(rows + 1);
  const columnPotential = new Float64Array(columns + 1);
  const rowOfColumn = new Int32Array(columns + 1);
  const previousColumn = new Int32Array(columns + 1);
  for (let row = 1; row <= rows; row++) {
    rowOfColumn[0] = row;
    let column = 0;
    const slack = new Float64Array(columns + 1).fill(Infinity);
    const visited = new Uint8Array(columns + 1);
    do {
      visited[column] = 1;
      const currentRow = rowOfColumn[column]!;
      let delta = Infinity;
      let nextColumn = 0;
      for (let j = 1; j <= columns; j++) {
        if (visited[j]) continue;
        const reduced = cost(currentRow, j) - rowPotential[currentRow]! - columnPotential[j]!;
        if (reduced < slack[j]!) {
          slack[j] = reduced;
          previousColumn[j] = column;
        }
        if (slack[j]! < delta) {
          delta = slack[j]!;
          nextColumn = j;
        }
      }
      for (let j = 0; j <= columns; j++) {
        if (visited[j]) {
          rowPotential[rowOfColumn[j]!]! += delta;
          columnPotential[j]! -= delta;
        } else slack[j]! -= delta;
      }
      column = nextColumn;
    } while (rowOfColumn[column] !== 0);
    // Flip the augmenting path back to the start.
    do {
      const previous = previousColumn[column]!;
      rowOfColumn[column] = rowOfColumn[previous]!;
      column = previous;
    } while (column !== 0);
  }

  const columnForRow = new Array<number>(rows).fill(-1);
  for (let column = 1; column <= columns; column++) {
    const row = rowOfColumn[column]!;
    if (row > 0) columnForRow[row - 1] = column - 1;
  }
  return columnForRow;
}
