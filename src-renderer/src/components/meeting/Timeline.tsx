import { memo } from 'react';
import type { TranscriptSegment } from '../../../../src-shared/transcript';
import { formatDuration } from '../../store/format';
import { speakerColor } from '../../store/speakers';

interface TimelineProps {
  segments: readonly TranscriptSegment[];
  duration: number;
  currentTime: number;
  onSeek(seconds: number): void;
}

const KEY_STEP_SECONDS = 5;

const TimelineBlocks = memo(function TimelineBlocks({ segments, duration }: { segments: readonly TranscriptSegment[]; duration: number }) {
  return (
    <>
      {segments.map((segment) => (
        <span
          key={segment.id}
          className="timeline-block"
          style={{
            left: `${(segment.start / duration) * 100}%`,
            width: `${Math.max(((segment.end - segment.start) / duration) * 100, 0.15)}%`,
            background: speakerColor(segment.speaker),
          }}
        />
      ))}
    </>
  );
});

/** The whole meeting as a bar: speech blocks coloured by speaker; click or arrow keys to seek. */
export function Timeline({ segments, duration, currentTime, onSeek }: TimelineProps): React.JSX.Element | null {
  if (!(duration > 0)) return null;
  const clampSeek = (seconds: number): void => onSeek(Math.min(duration, Math.max(0, seconds)));
  return (
    <div
      className="timeline"
      data-testid="timeline"
      role="slider"
      tabIndex={0}
      aria-label="Meeting timeline"
      aria-valuemin={0}
      aria-valuemax={Math.round(duration)}
      aria-valuenow={Math.round(currentTime)}
      aria-valuetext={`${formatDuration(currentTime)} of ${formatDuration(duration)}`}
      onClick={(event) => {
        const box = event.currentTarget.getBoundingClientRect();
        if (box.width > 0) clampSeek(((event.clientX - box.left) / box.width) * duration);
      }}
      onKeyDown={(event) => {
        if (event.key === 'ArrowLeft') clampSeek(currentTime - KEY_STEP_SECONDS);
        else if (event.key === 'ArrowRight') clampSeek(currentTime + KEY_STEP_SECONDS);
        else return;
        event.preventDefault();
      }}
    >
      <TimelineBlocks segments={segments} duration={duration} />
      <span className="timeline-playhead" style={{ left: `${Math.min(100, (currentTime / duration) * 100)}%` }} />
    </div>
  );
}
