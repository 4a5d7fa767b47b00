import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { describeError } from '../../store/error-text';
import { formatDuration } from '../../store/format';
import { speakerColor, speakerDisplayName, speakerTextColor } from '../../store/speakers';
import type { LiveItem } from '../../store/live-transcript';
import { useApp } from '../../store/store-context';

/** How close to the bottom (px) still counts as following the live text. */
const FOLLOW_THRESHOLD_PX = 40;

function LiveItemView({ item }: { item: LiveItem }): React.JSX.Element {
  switch (item.kind) {
    case 'segment':
      return (
        <p className="live-segment" data-testid="committed-segment" data-segment-id={item.segment.id}>
          <time className="live-time">{formatDuration(item.segment.start)}</time>
          {item.segment.speaker !== null && (
            // Provisional: the labels are refined over the whole recording after it stops.
            <span
              className="live-speaker"
              data-testid="live-speaker"
              style={{ color: speakerTextColor(item.segment.speaker) }}
              title="Provisional; refined after the recording"
            >
              {speakerDisplayName(item.segment.speaker, [])}
            </span>
          )}
          <span>{item.segment.text}</span>
        </p>
      );
    case 'gap':
      return (
        <p className="live-notice live-notice-gap" role="note" data-testid="live-gap">
          Live text skipped {formatDuration(item.start)}–{formatDuration(item.end)} because transcription fell behind. The recording has
          this part and the saved transcript can include it.
        </p>
      );
    case 'error':
      return (
        <p className="live-notice live-notice-error" role="alert" data-testid="live-error">
          {item.fatal ? 'The recording stopped: ' : ''}
          {describeError(item.error)}
        </p>
      );
  }
}

/**
 * Who has spoken so far, as the live labeler heard them: provisional (the whole recording is diarized
 * again after the stop, and names are given then), with how many lines each said.
 */
const LiveSpeakerChips = memo(function LiveSpeakerChips({ items }: { items: readonly LiveItem[] }) {
  const counts = useMemo(() => {
    const byLabel = new Map<string, number>();
    for (const item of items)
      if (item.kind === 'segment' && item.segment.speaker !== null)
        byLabel.set(item.segment.speaker, (byLabel.get(item.segment.speaker) ?? 0) + 1);
    return [...byLabel.entries()].sort(([left], [right]) => left.localeCompare(right));
  }, [items]);
  if (counts.length === 0) return null;
  return (
    <div className="live-speakers" data-testid="live-speakers">
      <span className="live-speakers-label" id="live-speakers-label">
        Speakers so far <span className="muted">(provisional)</span>
      </span>
      <ul className="speaker-chips" aria-labelledby="live-speakers-label">
        {counts.map(([label, lines]) => (
          <li key={label} className="speaker-chip speaker-chip-static" data-testid="live-speaker-chip" data-speaker-label={label}>
            <span className="speaker-dot" style={{ background: speakerColor(label) }} aria-hidden="true" />
            {speakerDisplayName(label, [])}
            <span className="muted">
              {' '}
              · {lines} {lines === 1 ? 'line' : 'lines'}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
});

/** Committed items only change on commits, so partial updates do not re-render the whole list. */
const CommittedItems = memo(function CommittedItems({ items }: { items: readonly LiveItem[] }) {
  return (
    <>
      {items.map((item) => (
        <LiveItemView key={item.key} item={item} />
      ))}
    </>
  );
});

export function LiveTranscriptView(): React.JSX.Element {
  const live = useApp((state) => state.live);
  const status = useApp((state) => state.recordingStatus);
  const scrollerRef = useRef<HTMLDivElement>(null);
  const followingRef = useRef(true);
  const [following, setFollowing] = useState(true);

  const onScroll = useCallback(() => {
    const scroller = scrollerRef.current;
    if (scroller === null) return;
    const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= FOLLOW_THRESHOLD_PX;
    if (atBottom !== followingRef.current) {
      followingRef.current = atBottom;
      setFollowing(atBottom);
    }
  }, []);

  const jumpToLive = useCallback(() => {
    const scroller = scrollerRef.current;
    followingRef.current = true;
    setFollowing(true);
    if (scroller !== null) scroller.scrollTop = scroller.scrollHeight;
  }, []);

  useLayoutEffect(() => {
    const scroller = scrollerRef.current;
    if (scroller !== null && followingRef.current) scroller.scrollTop = scroller.scrollHeight;
  }, [live.items, live.partial]);

  const empty = live.items.length === 0 && live.partial === null;
  return (
    <section className="live-wrap" aria-label="Live transcript">
      <LiveSpeakerChips items={live.items} />
      <div className="live-transcript" data-testid="live-transcript" ref={scrollerRef} onScroll={onScroll} role="log">
        {empty && (
          <p className="live-empty">
            {status === 'idle' ? 'Press Record to start. The transcript appears here as people speak.' : 'Listening…'}
          </p>
        )}
        {live.droppedCount > 0 && (
          <p className="live-notice">
            {live.droppedCount} earlier lines are hidden here to keep the page fast; the saved transcript has them all.
          </p>
        )}
        <CommittedItems items={live.items} />
        <div aria-live="polite" aria-atomic="true" className="live-partial-region">
          {live.partial !== null && (
            <p className="live-partial" data-testid="partial-text">
              <time className="live-time">{formatDuration(live.partial.start)}</time>
              <span>{live.partial.text}</span>
            </p>
          )}
        </div>
      </div>
      {!following && (
        <button type="button" className="btn btn-primary jump-to-live" data-testid="jump-to-live" onClick={jumpToLive}>
          Jump to live ↓
        </button>
      )}
    </section>
  );
}
