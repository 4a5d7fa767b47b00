import { useCallback, useEffect, useRef, useState } from 'react';
import type { Speaker } from '../../../../src-shared/library';
import type { Result } from '../../../../src-shared/result';
import type { TranscriptSegment } from '../../../../src-shared/transcript';
import { SEGMENT_COLUMNS, SegmentRow } from './SegmentRow';
import type { SpeakerActions } from './SegmentSpeakerPicker';

interface SegmentListProps extends SpeakerActions {
  segments: readonly TranscriptSegment[];
  speakers: readonly Speaker[];
  currentIndex: number;
  currentTime: number;
  /** Keep the current segment in view (while playing, or after opening at a search hit). */
  follow: boolean;
  query: string;
  /** The segment holding the search's current match, scrolled into view. */
  searchCurrentId: number | null;
  readOnly?: boolean;
  onSeek(seconds: number): void;
  onSaveText(segmentId: number, text: string): Promise<Result<TranscriptSegment>>;
}

interface Cell {
  segmentId: number;
  column: number;
}

/**
 * The transcript as a list with one tab stop (roving focus): Tab enters it at the last line used, Up and
 * Down move between lines, Left and Right between a line's controls (play, speaker, edit), Home and End
 * jump to the first and last line. Tab again leaves the transcript, however long it is.
 */
export function SegmentList(props: SegmentListProps): React.JSX.Element {
  const {
    segments,
    speakers,
    currentIndex,
    currentTime,
    follow,
    query,
    searchCurrentId,
    readOnly = false,
    onSeek,
    onSaveText,
    onSetSpeaker,
    onSetSpeakerName,
  } = props;
  const listRef = useRef<HTMLOListElement>(null);
  const currentId = segments[currentIndex]?.id ?? null;
  const [active, setActive] = useState<Cell | null>(null);
  const activeId =
    active !== null && segments.some((segment) => segment.id === active.segmentId) ? active.segmentId : (segments[0]?.id ?? null);
  const activeColumn = active !== null && active.segmentId === activeId ? active.column : 0;

  useEffect(() => {
    if (!follow || currentId === null) return;
    listRef.current?.querySelector(`[data-segment-id="${currentId}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [follow, currentId]);

  useEffect(() => {
    if (searchCurrentId === null) return;
    listRef.current?.querySelector(`[data-segment-id="${searchCurrentId}"]`)?.scrollIntoView({ block: 'center' });
  }, [searchCurrentId]);

  const focusCell = useCallback((index: number, column: number) => {
    const rows = listRef.current?.querySelectorAll<HTMLElement>(':scope > li[data-segment-id]');
    const row = rows?.[Math.max(0, Math.min(index, rows.length - 1))];
    if (row === undefined) return;
    // A line may lack a control (a preview has only its time): take the nearest one before it.
    for (let candidate = column; candidate >= 0; candidate -= 1) {
      const control = row.querySelector<HTMLElement>(`[data-col="${candidate}"]`);
      if (control !== null) {
        control.focus();
        return;
      }
    }
  }, []);

  if (segments.length === 0) return <p className="empty">This meeting has no transcript yet.</p>;
  return (
    <ol
      className="segment-list"
      ref={listRef}
      aria-label={readOnly ? 'Transcript so far (still being transcribed)' : 'Transcript'}
      onFocus={(event) => {
        const control = (event.target as HTMLElement).closest<HTMLElement>('[data-col]');
        const row = control?.closest<HTMLElement>('li[data-segment-id]');
        if (!control || !row) return;
        const cell = { segmentId: Number(row.dataset.segmentId), column: Number(control.dataset.col) };
        setActive((previous) => (previous?.segmentId === cell.segmentId && previous.column === cell.column ? previous : cell));
      }}
      onKeyDown={(event) => {
        const control = (event.target as HTMLElement).closest<HTMLElement>('[data-col]');
        if (control === null || event.target !== control || event.altKey || event.ctrlKey || event.metaKey) return;
        const index = segments.findIndex((segment) => segment.id === activeId);
        const column = Number(control.dataset.col);
        const moves: Record<string, () => void> = {
          ArrowDown: () => focusCell(index + 1, column),
          ArrowUp: () => focusCell(index - 1, column),
          ArrowRight: () => focusCell(index, Math.min(SEGMENT_COLUMNS - 1, column + 1)),
          ArrowLeft: () => focusCell(index, Math.max(0, column - 1)),
          Home: () => focusCell(0, column),
          End: () => focusCell(segments.length - 1, column),
        };
        const move = moves[event.key];
        if (move === undefined) return;
        event.preventDefault();
        move();
      }}
    >
      {segments.map((segment, index) => (
        <SegmentRow
          key={segment.id}
          segment={segment}
          speakers={speakers}
          current={index === currentIndex}
          currentTime={index === currentIndex ? currentTime : null}
          activeColumn={segment.id === activeId ? activeColumn : null}
          query={query}
          searchCurrent={segment.id === searchCurrentId}
          readOnly={readOnly}
          onSeek={onSeek}
          onSaveText={onSaveText}
          onSetSpeaker={onSetSpeaker}
          onSetSpeakerName={onSetSpeakerName}
        />
      ))}
    </ol>
  );
}
