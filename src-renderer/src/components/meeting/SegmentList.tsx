import { useEffect, useRef } from 'react';
import type { Speaker } from '../../../../src-shared/library';
import type { Result } from '../../../../src-shared/result';
import type { TranscriptSegment } from '../../../../src-shared/transcript';
import { speakerColor, speakerDisplayName } from '../../store/speakers';
import { SegmentRow } from './SegmentRow';

interface SegmentListProps {
  segments: readonly TranscriptSegment[];
  speakers: readonly Speaker[];
  currentIndex: number;
  /** Keep the current segment in view (while playing, or after opening at a search hit). */
  follow: boolean;
  onSeek(seconds: number): void;
  onSaveText(segmentId: number, text: string): Promise<Result<TranscriptSegment>>;
  onSetSpeaker(segmentId: number, label: string | null): Promise<Result<TranscriptSegment>>;
}

export function SegmentList({ segments, speakers, currentIndex, follow, onSeek, onSaveText, onSetSpeaker }: SegmentListProps): React.JSX.Element {
  const listRef = useRef<HTMLOListElement>(null);
  const currentId = segments[currentIndex]?.id ?? null;
  const speakerLabels = speakers.map((speaker) => speaker.label);

  useEffect(() => {
    if (!follow || currentId === null) return;
    listRef.current?.querySelector(`[data-segment-id="${currentId}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [follow, currentId]);

  if (segments.length === 0) return <p className="empty">This meeting has no transcript yet.</p>;
  return (
    <ol className="segment-list" ref={listRef} aria-label="Transcript">
      {segments.map((segment, index) => (
        <SegmentRow
          key={segment.id}
          segment={segment}
          speakerName={segment.speaker === null ? null : speakerDisplayName(segment.speaker, speakers)}
          speakerColor={speakerColor(segment.speaker)}
          current={index === currentIndex}
          onSeek={onSeek}
          onSaveText={onSaveText}
          speakerLabels={speakerLabels}
          onSetSpeaker={onSetSpeaker}
        />
      ))}
    </ol>
  );
}
