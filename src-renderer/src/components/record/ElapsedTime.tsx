import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { elapsedSeconds } from '../../store/elapsed-clock';
import { formatDuration } from '../../store/format';
import { useApp } from '../../store/store-context';

/** Recorded time, pauses excluded; redraws once per animation frame only while the wall clock is the source. */
export function ElapsedTime(): React.JSX.Element {
  const { clock, status } = useApp(useShallow((state) => ({ clock: state.clock, status: state.recordingStatus })));
  const [now, setNow] = useState(() => Date.now());
  const ticking = clock.runningSince !== null && clock.lastLevelAt === null;

  useEffect(() => {
    if (!ticking) return undefined;
    let frame = 0;
    let shownSecond = -1;
    const tick = (): void => {
      const current = Date.now();
      const second = Math.floor(current / 1000);
      if (second !== shownSecond) {
        shownSecond = second;
        setNow(current);
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [ticking]);

  const seconds = elapsedSeconds(clock, now);
  return (
    <div className={`elapsed elapsed-${status}`}>
      <span className="elapsed-label">{status === 'paused' ? 'Paused' : status === 'recording' ? 'Recording' : 'Elapsed'}</span>
      <time data-testid="elapsed" aria-label="Elapsed recording time" dateTime={`PT${Math.floor(seconds)}S`}>
        {formatDuration(seconds)}
      </time>
    </div>
  );
}
