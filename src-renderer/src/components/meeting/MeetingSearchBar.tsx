import { useEffect, useRef } from 'react';

interface MeetingSearchBarProps {
  query: string;
  /** Index of the current match, or -1. */
  current: number;
  total: number;
  /** Bumped to focus the field again (Ctrl+F while it is open). */
  focusRequest: number;
  onQuery(query: string): void;
  onStep(step: 1 | -1): void;
  onClose(): void;
}

/** Find in this meeting: Enter and Shift+Enter step through the matches, Escape closes. */
export function MeetingSearchBar({
  query,
  current,
  total,
  focusRequest,
  onQuery,
  onStep,
  onClose,
}: MeetingSearchBarProps): React.JSX.Element {
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, [focusRequest]);
  const count = query.trim() === '' ? '' : total === 0 ? 'No matches' : `${current + 1} of ${total}`;
  return (
    <div className="meeting-search" role="search" aria-label="Find in this meeting">
      <input
        ref={inputRef}
        type="search"
        data-testid="meeting-search-input"
        aria-label="Find in this meeting"
        placeholder="Find in this meeting…"
        value={query}
        onChange={(event) => onQuery(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            onStep(event.shiftKey ? -1 : 1);
          } else if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            onClose();
          }
        }}
      />
      <span className="meeting-search-count" data-testid="meeting-search-count" aria-live="polite">
        {count}
      </span>
      <button
        type="button"
        className="btn btn-small"
        data-testid="meeting-search-previous"
        aria-label="Previous match"
        disabled={total === 0}
        onClick={() => onStep(-1)}
      >
        ↑
      </button>
      <button
        type="button"
        className="btn btn-small"
        data-testid="meeting-search-next"
        aria-label="Next match"
        disabled={total === 0}
        onClick={() => onStep(1)}
      >
        ↓
      </button>
      <button type="button" className="btn-icon" aria-label="Close search" onClick={onClose}>
        ×
      </button>
    </div>
  );
}
