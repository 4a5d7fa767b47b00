/**
 * Hand edits carried from a transcript being replaced into its replacement. Edits belong to moments of the
 * recording, not to segment numbers (a new model cuts segments differently), so they are placed by time:
 * - a line whose text the user corrected replaces what the new transcript says during it (the user's words
 *   win, with the speaker they had): with word times, the new words said inside it; without, every new
 *   segment centred inside it;
 * - a speaker the user chose goes to what the new transcript says during that line (with word times, the words
 *   said inside it or nearer to it than to any other line, within a second, splitting a new segment where the
 *   chosen speaker changes; without, every segment centred there).
 * What the new transcript has elsewhere stands. Segment ids are renumbered 0..n-1 in time order.
 */
import type { TranscriptSegment, TranscriptWord } from '../../src-shared/transcript';

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

  const chosenAt = (time: number): TranscriptSegment | undefined => {
    const line = lineAt(previous, time);
    return line !== undefined && chosenSpeakers.includes(line) ? line : undefined;
  };
  const kept = next.flatMap((segment) => carryInto(segment, correctedLines, chosenAt));
  const merged = [...kept, ...correctedLines.map((line) => ({ ...line, edited: { ...line.edited } }))];
  merged.sort((left, right) => left.start - right.start || left.end - right.end);
  return merged.map((segment, index) => ({ ...segment, id: index }));
}

/**
 * A new segment with the edits applied. With words: each word said inside a corrected line is dropped, each
 * word said inside a line whose speaker the user chose takes that speaker, and the segment splits where that
 * changes (a new model's long segment can span several of the old lines, and several speakers). Without
 * words: the whole segment is dropped when centred in a corrected line, else takes the speaker of the chosen
 * line it is centred in.
 */
function carryInto(
  segment: TranscriptSegment,
  correctedLines: readonly TranscriptSegment[],
  chosenAt: (time: number) => TranscriptSegment | undefined,
): TranscriptSegment[] {
  const words = segment.words;
  if (words === undefined || words.length === 0) {
    if (correctedLines.some((line) => covers(line, centre(segment)))) return [];
    return [withChosenSpeaker(segment, chosenAt(centre(segment)))];
  }
  const runs: { words: TranscriptWord[]; chosen: TranscriptSegment | undefined }[] = [];
  let previousKey: TranscriptSegment | null | undefined;
  for (const word of words) {
    if (correctedLines.some((line) => covers(line, centre(word)))) {
      previousKey = undefined;
      continue;
    }
    const chosen = chosenAt(centre(word));
    const key = chosen ?? null;
    const run = runs.at(-1);
    if (run !== undefined && previousKey !== undefined && previousKey === key) run.words.push(word);
    else runs.push({ words: [word], chosen });
    previousKey = key;
  }
  if (runs.length === 1 && runs[0]?.words.length === words.length) return [withChosenSpeaker(segment, runs[0].chosen)];
  return runs.map((run) =>
    withChosenSpeaker(
      {
        ...segment,
        start: run.words[0]?.start ?? segment.start,
        end: run.words.at(-1)?.end ?? segment.end,
        text: run.words
          .map((word) => word.text)
          .join('')
          .trim(),
        words: run.words,
      },
      run.chosen,
    ),
  );
}

/** Farther than this from every old line, a moment belongs to none (a new model heard speech the old one did not). */
const NEAREST_LINE_SECONDS = 1;

/**
 * The old line a moment belongs to: the one said at that time, else the nearest within a second (two models
 * place the same word a few tenths apart, and a word may fall in the pause between two old lines).
 */
function lineAt(lines: readonly TranscriptSegment[], time: number): TranscriptSegment | undefined {
  let nearest: TranscriptSegment | undefined;
  let distance = NEAREST_LINE_SECONDS;
  for (const line of lines) {
    if (covers(line, time)) return line;
    const away = time < line.start ? line.start - time : time - line.end;
    if (away <= distance) [nearest, distance] = [line, away];
  }
  return nearest;
}

function withChosenSpeaker(segment: TranscriptSegment, chosen: TranscriptSegment | undefined): TranscriptSegment {
  if (chosen === undefined) return { ...segment };
  return { ...segment, speaker: chosen.speaker, edited: { ...segment.edited, speaker: true } };
}
