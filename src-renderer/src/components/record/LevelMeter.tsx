import { levelToPercent } from '../../store/format';
import { useApp } from '../../store/store-context';

/** Input level on a −60…0 dB scale: the bar follows RMS, the tick marks the peak. */
export function LevelMeter(): React.JSX.Element {
  const rms = useApp((state) => state.level.rms);
  const peak = useApp((state) => state.level.peak);
  const rmsPercent = levelToPercent(rms);
  const peakPercent = levelToPercent(peak);
  return (
    <div
      className="level-meter"
      data-testid="level-meter"
      role="meter"
      aria-label="Input level"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(rmsPercent)}
      data-rms={rms.toFixed(3)}
      data-peak={peak.toFixed(3)}
    >
      <div className={peak >= 0.99 ? 'level-fill level-clipping' : 'level-fill'} style={{ width: `${rmsPercent}%` }} />
      <div className="level-peak" style={{ left: `${peakPercent}%` }} />
    </div>
  );
}
