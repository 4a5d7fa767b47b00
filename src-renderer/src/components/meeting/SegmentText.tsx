import type { TranscriptSegment, TranscriptWord } from '../../../../src-shared/transcript';
import { splitByQuery } from '../../store/meeting-search';

interface SegmentTextProps {
  segment: TranscriptSegment;
  /** The playback time when this segment is playing, else null. */
  currentTime: number | null;
  /** Matches of an in-meeting search are marked. */
  query: string;
  onSeek(seconds: number): void;
}

/** The word being spoken at `time`: the last one started, until the next one starts (pauses keep it lit). */
function currentWordIndex(words: readonly TranscriptWord[], time: number | null): number {
  if (time === null) return -1;
  let found = -1;
  for (const [index, word] of words.entries()) {
    if (word.start > time) break;
    found = index;
  }
  const word = found >= 0 ? words[found] : undefined;
  const next = words[found + 1];
  // Past the last word's end (and no next word), nothing is lit.
  return word !== undefined && (time < word.end || (next !== undefined && time < next.start)) ? found : -1;
}

/**
 * A segment's text. With word times, each word is its own target (click plays from it) and the word being
 * played is lit; without them, the line is one piece. Search matches are marked instead while searching.
 */
export function SegmentText({ segment, currentTime, query, onSeek }: SegmentTextProps): React.JSX.Element {
  if (query.trim() !== '') {
    return (
      <>
        {splitByQuery(segment.text, query).map((part, index) =>
          part.match ? (
            <mark key={index} data-testid="search-match">
              {part.text}
            </mark>
          ) : (
            <span key={index}>{part.text}</span>
          ),
        )}
      </>
    );
  }
  const words = segment.words;
  if (words === undefined || words.length === 0) return <>{segment.text}</>;
  const lit = currentWordIndex(words, currentTime);
  return (
    <>
      {words.map((word, index) => (
        <span
          key={index}
          className={index === lit ? 'word word-current' : 'word'}
          data-testid="word"
          data-start={word.start}
          data-current={index === lit ? 'true' : undefined}
          onClick={(event) => {
            event.stopPropagation();
            onSeek(word.start);
          }}
        >
          {word.text}
        </span>
      ))}
    </>
  );
}
