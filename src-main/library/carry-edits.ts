/**
 * Hand edits carried from a transcript being replaced into its replacement. Edits belong to moments of the
 * recording, not to segment numbers (a new model cuts segments differently), so they are placed by time:
 * - a line whose text the user corrected replaces what the new transcript says during it (the user's words
 *   win, with the speaker they had): with word times, the new words said inside it; without, every new
 *   segment centred inside it;
 * - a speaker the user chose goes to every new segment centred inside that line's span.
 * What the new transcript has elsewhere stands. Segment ids are renumbered 0..n-1 in time order.
 */
import type { TranscriptSegment, TranscriptWord } from '../../src-shared/transcript';

export interface EditCounts {
  text: number;
  speaker: number;
}

export function countEdits(segments: readonly TranscriptSegment[]): EditCounts {
  let text = 0;
  let speaker = 0;
  for (const segment of segments) {
    if (segment.edited?.text === true) text += 1;
    else if (segment.edited?.speaker === true) speaker += 1;
  }
  return { text, speaker };
}

function centre(segment: Pick<TranscriptSegment, 'start' | 'end'>): number {
  return (segment.start + segment.end) / 2;
}

function covers(span: Pick<TranscriptSegment, 'start' | 'end'>, time: number): boolean {
  // A zero-length span still holds the instant it marks.
  return span.end > span.start ? time >= span.start && time < span.end : time === span.start;
}

export function carryEdits(previous: readonly TranscriptSegment[], next: readonly TranscriptSegment[]): TranscriptSegment[] {
  const correctedLines = previous.filter((segment) => segment.edited?.text === true);
  const chosenSpeakers = previous.filter((segment) => segment.edited?.text !== true && segment.edited?.speaker === true);
  if (correctedLines.length === 0 && chosenSpeakers.length === 0) return next.map((segment) => ({ ...segment }));

  const kept = next
    .flatMap((segment) => outside(segment, correctedLines))
    .map((segment) => {
      const chosen = chosenSpeakers.find((line) => covers(line, centre(segment)));
      if (chosen === undefined) return { ...segment };
      return { ...segment, speaker: chosen.speaker, edited: { ...segment.edited, speaker: true } };
    });
  const merged = [...kept, ...correctedLines.map((line) => ({ ...line, edited: { ...line.edited } }))];
  merged.sort((left, right) => left.start - right.start || left.end - right.end);
  return merged.map((segment, index) => ({ ...segment, id: index }));
}

/**
 * What remains of a new segment once the corrected lines are taken out: with words, the runs of words
 * said outside them (a run becomes its own segment); without words, the whole segment unless it is
 * centred inside one.
 */
function outside(segment: TranscriptSegment, correctedLines: readonly TranscriptSegment[]): TranscriptSegment[] {
  const words = segment.words;
  if (words === undefined || words.length === 0) return correctedLines.some((line) => covers(line, centre(segment))) ? [] : [segment];
  const runs: TranscriptWord[][] = [];
  let run: TranscriptWord[] = [];
  for (const word of words) {
    if (correctedLines.some((line) => covers(line, centre(word)))) {
      if (run.length > 0) runs.push(run);
      run = [];
    } else {
      run.push(word);
    }
  }
  if (run.length > 0) runs.push(run);
  if (runs.length === 1 && runs[0]?.length === words.length) return [segment];
  return runs.map((kept) => ({
    ...segment,
    start: kept[0]?.start ?? segment.start,
    end: kept.at(-1)?.end ?? segment.end,
    text: kept.map((word) => word.text).join('').trim(),
    words: kept,
  }));
}
