interface ProgressBarProps {
  /** 0–100, or null when the total is unknown. */
  value: number | null;
  label: string;
  testId?: string;
}

export function ProgressBar({ value, label, testId }: ProgressBarProps): React.JSX.Element {
  const clamped = value === null ? null : Math.min(100, Math.max(0, value));
  return (
    <div
      className={clamped === null ? 'progress progress-indeterminate' : 'progress'}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={clamped === null ? undefined : Math.round(clamped)}
      data-testid={testId}
    >
      <div className="progress-fill" style={clamped === null ? undefined : { width: `${clamped}%` }} />
    </div>
  );
}
