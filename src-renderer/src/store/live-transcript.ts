/** The live transcript of the current recording: committed text, the provisional partial, and inline notices. */
import type { RecordingEvent } from '../../../src-shared/recording-events';
import type { CodedError } from '../../../src-shared/result';
import type { TranscriptSegment } from '../../../src-shared/transcript';

export type LiveItem =
  | { kind: 'segment'; key: string; segment: TranscriptSegment }
  | { kind: 'gap'; key: string; start: number; end: number; totalSkippedSeconds: number }
  | { kind: 'error'; key: string; error: CodedError; fatal: boolean };

export interface LivePartial {
  start: number;
  end: number;
  text: string;
}

export interface LiveTranscript {
  items: LiveItem[];
  partial: LivePartial | null;
  /** Oldest items dropped to keep the page light; the recording and the library keep everything. */
  droppedCount: number;
  nextNoticeKey: number;
}

/** Enough for hours of speech while keeping the DOM responsive. */
export const LIVE_ITEM_LIMIT = 3000;

export function emptyLiveTranscript(): LiveTranscript {
  return { items: [], partial: null, droppedCount: 0, nextNoticeKey: 0 };
}

function appendCapped(state: LiveTranscript, item: LiveItem, limit: number): Pick<LiveTranscript, 'items' | 'droppedCount'> {
  const items = [...state.items, item];
  const overflow = items.length - limit;
  if (overflow <= 0) return { items, droppedCount: state.droppedCount };
  return { items: items.slice(overflow), droppedCount: state.droppedCount + overflow };
}

function lastSegmentId(items: readonly LiveItem[]): number | null {
  for (let index = items.length - 1; index >= 0; index -= 1) {
    const item = items[index];
    if (item?.kind === 'segment') return item.segment.id;
  }
  return null;
}

/** Applies one recorder event; events that do not concern the transcript return the same state object. */
export function applyToLiveTranscript(state: LiveTranscript, event: RecordingEvent, limit: number = LIVE_ITEM_LIMIT): LiveTranscript {
  switch (event.type) {
    case 'partial': {
      const text = event.text.trim();
      return { ...state, partial: text === '' ? null : { start: event.start, end: event.end, text } };
    }
    case 'committed': {
      if (lastSegmentId(state.items) === event.segment.id) return state;
      const item: LiveItem = { kind: 'segment', key: `s${event.segment.id}`, segment: event.segment };
      // A partial that began after this commit's end belongs to the next utterance and stays.
      const partial = state.partial !== null && state.partial.start >= event.segment.end ? state.partial : null;
      return { ...state, ...appendCapped(state, item, limit), partial };
    }
    case 'gap': {
      const item: LiveItem = {
        kind: 'gap',
        key: `n${state.nextNoticeKey}`,
        start: event.start,
        end: event.end,
        totalSkippedSeconds: event.totalSkippedSeconds,
      };
      return { ...state, ...appendCapped(state, item, limit), nextNoticeKey: state.nextNoticeKey + 1 };
    }
    case 'error': {
      const item: LiveItem = { kind: 'error', key: `n${state.nextNoticeKey}`, error: event.error, fatal: event.fatal };
      return { ...state, ...appendCapped(state, item, limit), nextNoticeKey: state.nextNoticeKey + 1 };
    }
    default:
      return state;
  }
}
