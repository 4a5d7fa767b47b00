import type { TranscriptSegment, TranscriptWord } from '../../src-shared/transcript';
import type { SpeakerTurn } from './types';

export interface AssignOptions {
  /** Shortest piece, in seconds, that a segment without word times is split into. Default 1.0. */
  minSplitSeconds?: number;
}

export const DEFAULT_MIN_SPLIT_SECONDS = 1.0;
/** A span that no turn overlaps borrows the speaker of a turn at most this many seconds away. */
export const NEAREST_TURN_SECONDS = 1.0;
/** Overlap sums are float differences: closer than this counts as a tie. */
const TIE_SECONDS = 1e-9;

type Draft = Omit<TranscriptSegment, 'id'>;

interface Span {
  start: number;
  end: number;
}

interface Run extends Span {
  speaker: string | null;
}

interface TextPiece extends Run {
  /** UTF-16 offsets of the piece in the trimmed segment text. */
  from: number;
  to: number;
}

/** A place the text may be cut: the piece before ends at `before`, the next begins at `after`. */
interface Cut {
  /** Where the cut sits, counted in graphemes from the start of the text. */
  position: number;
  before: number;
  after: number;
}

/**
 * Labels segments with speakers and splits a segment where the speaker changes inside it. Segments
 * with word times are split between words: each word goes to the speaker whose turns overlap it most.
 * Segments without word times are split at speaker changes into pieces of at least `minSplitSeconds`,
 * each piece labelled by the speaker who talks most in it. Segments that need no split keep their
 * text, times and words; every output gets a new id, 0..n-1 in time order. The input is not mutated.
 */
export function assignSpeakers(
  segments: readonly TranscriptSegment[],
  turns: readonly SpeakerTurn[],
  options: AssignOptions = {},
): TranscriptSegment[] {
  const minSplitSeconds = options.minSplitSeconds ?? DEFAULT_MIN_SPLIT_SECONDS;
  if (!Number.isFinite(minSplitSeconds) || minSplitSeconds < 0) {
    throw new RangeError(`minSplitSeconds must be a finite number ≥ 0, got ${minSplitSeconds}`);
  }
  const index = new TurnIndex(turns);
  const drafts: Draft[] = [];
  let previousWordSpeaker: string | null = null;
  for (const segment of [...segments].sort((a, b) => a.start - b.start)) {
    if (segment.words !== undefined && segment.words.length > 0) {
      const split = splitByWords(segment, segment.words, index, previousWordSpeaker);
      previousWordSpeaker = split.lastSpeaker;
      drafts.push(...split.pieces);
    } else {
      drafts.push(...splitByTime(segment, index, minSplitSeconds));
    }
  }
  return drafts.sort((a, b) => a.start - b.start).map((draft, id) => ({ id, ...draft }));
}

/** Turns sorted by start, with a running maximum of ends so a time window finds its turns by bisection. */
class TurnIndex {
  private readonly turns: SpeakerTurn[];
  private readonly maxEndSoFar: number[];
  /** Order in which speakers are first heard: the last tie-break, so results never depend on map order. */
  readonly rank = new Map<string, number>();

  constructor(turns: readonly SpeakerTurn[]) {
    this.turns = turns
      .filter((turn) => Number.isFinite(turn.start) && Number.isFinite(turn.end) && turn.end > turn.start)
      .map((turn) => ({ ...turn }))
      .sort((a, b) => a.start - b.start || a.end - b.end);
    let maxEnd = -Infinity;
    this.maxEndSoFar = this.turns.map((turn) => (maxEnd = Math.max(maxEnd, turn.end)));
    for (const turn of this.turns) if (!this.rank.has(turn.speaker)) this.rank.set(turn.speaker, this.rank.size);
  }

  /** Turns that reach within `margin` seconds of the span, in start order. */
  near(span: Span, margin: number): SpeakerTurn[] {
    let low = 0;
    let high = this.turns.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.turns[middle]!.start <= span.end + margin) low = middle + 1;
      else high = middle;
    }
    const found: SpeakerTurn[] = [];
    for (let i = low - 1; i >= 0 && this.maxEndSoFar[i]! >= span.start - margin; i--) {
      if (this.turns[i]!.end >= span.start - margin) found.push(this.turns[i]!);
    }
    return found.reverse();
  }
}

/** Highest score wins; ties go to `preferred`, then to the speaker heard first. */
function pickSpeaker(scores: ReadonlyMap<string, number>, index: TurnIndex, preferred: string | null): string | null {
  const best = Math.max(...scores.values());
  const tied = [...scores.keys()].filter((speaker) => scores.get(speaker)! >= best - TIE_SECONDS);
  if (preferred !== null && tied.includes(preferred)) return preferred;
  tied.sort((a, b) => (index.rank.get(a) ?? 0) - (index.rank.get(b) ?? 0));
  return tied[0] ?? null;
}

function overlapBySpeaker(span: Span, turns: readonly SpeakerTurn[]): Map<string, number> {
  const overlap = new Map<string, number>();
  for (const turn of turns) {
    const seconds = Math.min(span.end, turn.end) - Math.max(span.start, turn.start);
    if (seconds > 0) overlap.set(turn.speaker, (overlap.get(turn.speaker) ?? 0) + seconds);
  }
  return overlap;
}

function dominantSpeaker(span: Span, index: TurnIndex, preferred: string | null): string | null {
  return pickSpeaker(overlapBySpeaker(span, index.near(span, 0)), index, preferred);
}

function nearestSpeaker(span: Span, index: TurnIndex, preferred: string | null): string | null {
  const closeness = new Map<string, number>();
  for (const turn of index.near(span, NEAREST_TURN_SECONDS)) {
    const gap = Math.max(0, turn.start - span.end, span.start - turn.end);
    if (gap <= NEAREST_TURN_SECONDS) closeness.set(turn.speaker, Math.max(closeness.get(turn.speaker) ?? -Infinity, -gap));
  }
  return pickSpeaker(closeness, index, preferred);
}

function speakerOf(span: Span, index: TurnIndex, preferred: string | null): string | null {
  return dominantSpeaker(span, index, preferred) ?? nearestSpeaker(span, index, preferred);
}

function unchanged(segment: TranscriptSegment, speaker: string | null): Draft {
  const draft: Draft = { start: segment.start, end: segment.end, text: segment.text, speaker };
  if (segment.words !== undefined) draft.words = segment.words.map((word) => ({ ...word }));
  return draft;
}

// ---- Segments with word times -------------------------------------------------------------------

interface WordRun {
  speaker: string | null;
  words: TranscriptWord[];
}

/** Whisper word texts carry their own leading space (none in scripts written without spaces). */
function joinWords(words: readonly TranscriptWord[]): string {
  return words
    .map((word) => word.text)
    .join('')
    .trim();
}

function splitByWords(
  segment: TranscriptSegment,
  words: readonly TranscriptWord[],
  index: TurnIndex,
  previousSpeaker: string | null,
): { pieces: Draft[]; lastSpeaker: string | null } {
  const runs: WordRun[] = [];
  let speaker = previousSpeaker;
  for (const word of words) {
    speaker = speakerOf(word, index, speaker) ?? speaker;
    const last = runs.at(-1);
    if (last !== undefined && last.speaker === speaker) last.words.push({ ...word });
    else runs.push({ speaker, words: [{ ...word }] });
  }
  const kept = absorbBlankRuns(runs);
  if (kept.length === 1) return { pieces: [unchanged(segment, kept[0]!.speaker)], lastSpeaker: speaker };
  const pieces = kept.map((run): Draft => ({
    start: run.words[0]!.start,
    end: run.words.at(-1)!.end,
    text: joinWords(run.words),
    speaker: run.speaker,
    words: run.words,
  }));
  return { pieces, lastSpeaker: speaker };
}

/** A run whose words spell nothing would become an empty segment: its words join a neighbour. */
function absorbBlankRuns(runs: readonly WordRun[]): WordRun[] {
  const kept: WordRun[] = [];
  for (const run of runs) {
    const last = kept.at(-1);
    if (last !== undefined && (last.speaker === run.speaker || joinWords(run.words) === '')) last.words.push(...run.words);
    else kept.push(run);
  }
  const [first, second] = kept;
  if (first !== undefined && second !== undefined && joinWords(first.words) === '') {
    second.words.unshift(...first.words);
    kept.shift();
  }
  return kept;
}

// ---- Segments without word times ----------------------------------------------------------------

/**
 * Without word times, a split segment's text is divided in proportion to time: a piece that covers
 * 40 % of the segment gets about 40 % of its characters, moved to the nearest word boundary. This
 * is only an estimate. People speak at uneven rates and pause mid-segment (a pause holds time but no
 * text), Whisper's segment times are themselves approximate, and characters are not equally long to
 * say (numbers, abbreviations, and scripts with a syllable per character). A cut can land a word or
 * two away from the real speaker change. Word times, when the recognizer gives them, avoid this.
 */
function splitByTime(segment: TranscriptSegment, index: TurnIndex, minSplitSeconds: number): Draft[] {
  const runs = mergeShortRuns(speakerRuns(segment, index), minSplitSeconds);
  const text = segment.text.trim();
  const wholeSegment = (): Draft[] => [unchanged(segment, speakerOf(segment, index, runs[0]?.speaker ?? null))];
  if (runs.length < 2 || text === '') return wholeSegment();

  const pieces: TextPiece[] = [];
  for (const piece of cutTextAtRuns(text, runs, segment)) {
    const last = pieces.at(-1);
    // The first piece always has text, so an empty one hands its time to the piece before it.
    if (piece.to <= piece.from && last !== undefined) last.end = piece.end;
    else pieces.push(piece);
  }
  const labelled: TextPiece[] = [];
  for (const piece of pieces) {
    const speaker = dominantSpeaker(piece, index, piece.speaker) ?? piece.speaker;
    const last = labelled.at(-1);
    if (last !== undefined && last.speaker === speaker) {
      last.end = piece.end;
      last.to = piece.to;
    } else {
      labelled.push({ ...piece, speaker });
    }
  }
  if (labelled.length < 2) return wholeSegment();
  return labelled.map((piece) => ({
    start: piece.start,
    end: piece.end,
    text: text.slice(piece.from, piece.to),
    speaker: piece.speaker,
  }));
}

function appendRun(runs: Run[], run: Run): void {
  const last = runs.at(-1);
  if (last !== undefined && last.speaker === run.speaker) last.end = run.end;
  else runs.push({ ...run });
}

/**
 * Who talks when inside the span, as consecutive runs covering all of it. Where turns overlap, the
 * speaker already talking keeps the floor; otherwise the one with most time in the span takes it.
 * Silence between two speakers is split at its middle; silence at either end joins its neighbour.
 * Empty when no turn overlaps the span.
 */
function speakerRuns(span: Span, index: TurnIndex): Run[] {
  if (!(span.end > span.start)) return [];
  const turns = index.near(span, 0).filter((turn) => turn.end > span.start && turn.start < span.end);
  if (turns.length === 0) return [];
  const totals = overlapBySpeaker(span, turns);
  const inside = turns.flatMap((turn) => [turn.start, turn.end]).filter((time) => time > span.start && time < span.end);
  const bounds = [...new Set([span.start, span.end, ...inside])].sort((a, b) => a - b);

  const runs: Run[] = [];
  let current: string | null = null;
  for (let i = 0; i + 1 < bounds.length; i++) {
    const piece = { start: bounds[i]!, end: bounds[i + 1]! };
    const active = new Map<string, number>();
    for (const turn of turns) {
      if (turn.start <= piece.start && turn.end >= piece.end) active.set(turn.speaker, totals.get(turn.speaker) ?? 0);
    }
    const speaker: string | null =
      active.size === 0 ? null : current !== null && active.has(current) ? current : pickSpeaker(active, index, null);
    if (speaker !== null) current = speaker;
    appendRun(runs, { ...piece, speaker });
  }

  runs.forEach((run, i) => {
    if (run.speaker !== null) return;
    const before = runs[i - 1];
    const after = runs[i + 1];
    const middle = before === undefined ? run.start : after === undefined ? run.end : (run.start + run.end) / 2;
    if (before !== undefined) before.end = middle;
    if (after !== undefined) after.start = middle;
  });
  const voiced: Run[] = [];
  for (const run of runs) if (run.speaker !== null) appendRun(voiced, run);
  return voiced;
}

/** Folds runs shorter than `minSeconds`, shortest first, into their longer neighbour. */
function mergeShortRuns(runs: readonly Run[], minSeconds: number): Run[] {
  let merged = runs.map((run) => ({ ...run }));
  const length = (run: Run): number => run.end - run.start;
  while (merged.length > 1) {
    let shortest = -1;
    merged.forEach((run, i) => {
      if (length(run) < minSeconds - TIE_SECONDS && (shortest < 0 || length(run) < length(merged[shortest]!))) shortest = i;
    });
    if (shortest < 0) break;
    const run = merged[shortest]!;
    const before = merged[shortest - 1];
    const after = merged[shortest + 1];
    const into = before === undefined ? after! : after === undefined || length(before) >= length(after) ? before : after;
    into.start = Math.min(into.start, run.start);
    into.end = Math.max(into.end, run.end);
    merged.splice(shortest, 1);
    const coalesced: Run[] = [];
    for (const kept of merged) appendRun(coalesced, kept);
    merged = coalesced;
  }
  return merged;
}

const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const WHITESPACE = /^\s+$/u;
/** Scripts written without spaces between words: any character boundary next to them may be cut. */
const UNSPACED_SCRIPT =
  /\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}|\p{Script=Thai}|\p{Script=Lao}|\p{Script=Khmer}|\p{Script=Myanmar}|\p{Script=Tibetan}/u;
/** Closing punctuation stays with the text it closes, opening punctuation with the text it opens. */
const NO_CUT_BEFORE = /^[\p{Pe}\p{Pf}\p{Po}]/u;
const NO_CUT_AFTER = /^[\p{Ps}\p{Pi}]/u;

/** Word boundaries (whitespace runs) plus character boundaries next to a script without spaces. */
function cutCandidates(graphemes: readonly Intl.SegmentData[]): Cut[] {
  const cuts: Cut[] = [];
  let spaceStart = -1;
  for (let i = 1; i < graphemes.length; i++) {
    const left = graphemes[i - 1]!;
    const right = graphemes[i]!;
    const leftSpace = WHITESPACE.test(left.segment);
    if (WHITESPACE.test(right.segment)) {
      if (!leftSpace) spaceStart = i;
    } else if (leftSpace) {
      cuts.push({ position: (spaceStart + i) / 2, before: graphemes[spaceStart]!.index, after: right.index });
    } else if (
      (UNSPACED_SCRIPT.test(left.segment) || UNSPACED_SCRIPT.test(right.segment)) &&
      !NO_CUT_BEFORE.test(right.segment) &&
      !NO_CUT_AFTER.test(left.segment)
    ) {
      cuts.push({ position: i, before: right.index, after: right.index });
    }
  }
  return cuts;
}

/** Cuts trimmed `text` at the cut nearest each run boundary's share of the span's time. */
function cutTextAtRuns(text: string, runs: readonly Run[], span: Span): TextPiece[] {
  const graphemes = [...GRAPHEMES.segment(text)];
  const cuts = cutCandidates(graphemes);
  if (cuts.length === 0) return [{ ...span, speaker: runs[0]?.speaker ?? null, from: 0, to: text.length }];
  const duration = span.end - span.start;
  const chosen = runs.slice(1).map((run) => {
    const target = (graphemes.length * (run.start - span.start)) / duration;
    let best = cuts[0]!;
    for (const cut of cuts) if (Math.abs(cut.position - target) < Math.abs(best.position - target)) best = cut;
    return best;
  });
  return runs.map((run, k) => ({
    ...run,
    from: k === 0 ? 0 : chosen[k - 1]!.after,
    to: k === runs.length - 1 ? text.length : chosen[k]!.before,
  }));
}
