/**
 * Hand edits carried from a transcript being replaced into its replacement. Edits belong to moments of the
 * recording, not to segment numbers (a new model cuts segments differently), so they are placed by time:
 * - a line whose text the user corrected replaces every new segment centred inside its time span (the
 *   user's words win over the model's, with the speaker they had);
 * - a speaker the user chose goes to every new segment centred inside that line's span.
 * What the new transcript has elsewhere stands. Segment ids are renumbered 0..n-1 in time order.
 */
import type { TranscriptSegment } from '../../src-shared/transcript';

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
    .filter((segment) => !correctedLines.some((line) => covers(line, centre(segment))))
    .map((segment) => {
      const chosen = chosenSpeakers.find((line) => covers(line, centre(segment)));
      if (chosen === undefined) return { ...segment };
      return { ...segment, speaker: chosen.speaker, edited: { ...segment.edited, speaker: true } };
    });
  const merged = [...kept, ...correctedLines.map((line) => ({ ...line, edited: { ...line.edited } }))];
  merged.sort((left, right) => left.start - right.start || left.end - right.end);
  return merged.map((segment, index) => ({ ...segment, id: index }));
}
