import { describe, expect, it } from 'vitest';
import type { RecordingEvent } from '../../src-shared/recording-events';
import { applyToLiveTranscript, emptyLiveTranscript, type LiveTranscript } from '../../src-renderer/src/store/live-transcript';
import { segment } from './fixtures';

function applyAll(events: readonly RecordingEvent[], limit?: number): LiveTranscript {
  return events.reduce((state, event) => applyToLiveTranscript(state, event, limit), emptyLiveTranscript());
}

function describeItems(state: LiveTranscript): string[] {
  return state.items.map((item) => (item.kind === 'segment' ? `seg:${item.segment.text}` : `${item.kind}`));
}

describe('live transcript', () => {
  it('shows the newest partial only, and a commit replaces the partial it covers', () => {
    const state = applyAll([
      { type: 'partial', start: 0, end: 1, text: 'hello' },
      { type: 'partial', start: 0, end: 2, text: 'hello every' },
    ]);
    expect(state.partial?.text).toBe('hello every');
    const committed = applyToLiveTranscript(state, { type: 'committed', segment: segment(0, 0, 2.5, 'Hello everyone.') });
    expect(committed.partial).toBeNull();
    expect(describeItems(committed)).toEqual(['seg:Hello everyone.']);
  });

  it('keeps a partial of the next utterance that began after the commit', () => {
    const state = applyAll([
      { type: 'partial', start: 3, end: 4, text: 'next one' },
      { type: 'committed', segment: segment(0, 0, 2.5, 'First.') },
    ]);
    expect(state.partial?.text).toBe('next one');
  });

  it('puts gaps and errors inline, in the order they happened', () => {
    const state = applyAll([
      { type: 'committed', segment: segment(0, 0, 2, 'One.') },
      { type: 'gap', start: 2, end: 9, totalSkippedSeconds: 7 },
      { type: 'committed', segment: segment(1, 9, 11, 'Two.') },
      { type: 'error', error: { code: 'CAPTURE_MONITOR_UNAVAILABLE', message: 'gone' }, fatal: false },
    ]);
    expect(describeItems(state)).toEqual(['seg:One.', 'gap', 'seg:Two.', 'error']);
    expect(new Set(state.items.map((item) => item.key)).size).toBe(4);
  });

  it('ignores a repeated commit of the same segment', () => {
    const commit: RecordingEvent = { type: 'committed', segment: segment(4, 0, 1, 'Once.') };
    expect(describeItems(applyAll([commit, commit]))).toEqual(['seg:Once.']);
  });

  it('drops the oldest items past the limit and counts them', () => {
    const events: RecordingEvent[] = Array.from({ length: 7 }, (_, index) => ({
      type: 'committed',
      segment: segment(index, index, index + 0.5, `line ${index}`),
    }));
    const state = applyAll(events, 5);
    expect(describeItems(state)).toEqual(['seg:line 2', 'seg:line 3', 'seg:line 4', 'seg:line 5', 'seg:line 6']);
    expect(state.droppedCount).toBe(2);
  });

  it('returns the same state for events that do not touch the transcript', () => {
    const state = applyAll([{ type: 'committed', segment: segment(0, 0, 1, 'x') }]);
    expect(applyToLiveTranscript(state, { type: 'level', at: 1, rms: 0.1, peak: 0.2 })).toBe(state);
    expect(applyToLiveTranscript(state, { type: 'status', status: 'paused', sessionId: 's' })).toBe(state);
  });
});
