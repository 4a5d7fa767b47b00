/** The meeting list, full-text search and imports. */
import type { MeetingSummary, SearchHit } from '../../../src-shared/library';
import type { CodedError, Result } from '../../../src-shared/result';
import { describeError } from './error-text';
import type { SliceCreator } from './types';

export interface LibrarySlice {
  meetings: MeetingSummary[];
  meetingsLoaded: boolean;
  meetingsError: CodedError | null;
  searchQuery: string;
  searchHits: SearchHit[];
  searching: boolean;
  searchError: CodedError | null;
  importing: boolean;
  /** Meetings deleted in the last few seconds: hidden at once, removed for good when the undo runs out. */
  pendingDeletes: readonly string[];
  /** Reloads the list; calls while a load runs are folded into one more load after it. */
  loadMeetings(): Promise<void>;
  setSearchQuery(query: string): void;
  runSearch(query: string): Promise<void>;
  importFiles(files: readonly File[]): Promise<void>;
  renameMeeting(meetingId: string, title: string): Promise<Result<MeetingSummary>>;
  /** Hides the meeting now and deletes it after UNDO_DELETE_MS unless the user undoes it. */
  deleteMeeting(meetingId: string): void;
  undoDelete(meetingId: string): void;
  /** Deletes every pending meeting now (the page is going away). */
  flushPendingDeletes(): void;
}

export const UNDO_DELETE_MS = 8000;

export const createLibrarySlice: SliceCreator<LibrarySlice> = (set, get, api) => {
  const deleteTimers = new Map<string, { timer: ReturnType<typeof setTimeout>; noticeId: number }>();
  let loading: Promise<void> | null = null;
  let reloadRequested = false;
  let searchGeneration = 0;

  async function loadUntilSettled(): Promise<void> {
    do {
      reloadRequested = false;
      const result = await api.listMeetings();
      if (result.ok) set({ meetings: result.value, meetingsLoaded: true, meetingsError: null });
      else set({ meetingsLoaded: true, meetingsError: result.error });
    } while (reloadRequested);
  }

  return {
    meetings: [],
    meetingsLoaded: false,
    meetingsError: null,
    searchQuery: '',
    searchHits: [],
    searching: false,
    searchError: null,
    importing: false,
    pendingDeletes: [],
    loadMeetings() {
      if (loading !== null) {
        reloadRequested = true;
        return loading;
      }
      loading = loadUntilSettled().finally(() => {
        loading = null;
      });
      return loading;
    },
    setSearchQuery(query) {
      // Searching until the debounced search answers, so "No matches" does not flash while typing.
      set({ searchQuery: query, searching: query.trim() !== '' });
      if (query.trim() === '') {
        searchGeneration += 1;
        set({ searchHits: [], searching: false, searchError: null });
      }
    },
    async runSearch(query) {
      const trimmed = query.trim();
      if (trimmed === '') return;
      searchGeneration += 1;
      const generation = searchGeneration;
      set({ searching: true });
      const result = await api.searchLibrary(trimmed);
      // A slower answer to an older query must not replace a newer one.
      if (generation !== searchGeneration) return;
      if (result.ok) set({ searchHits: result.value, searching: false, searchError: null });
      else set({ searchHits: [], searching: false, searchError: result.error });
    },
    async importFiles(files) {
      if (files.length === 0) return;
      set({ importing: true });
      const result = await api.importFiles(files);
      set({ importing: false });
      if (!result.ok) {
        get().pushNotice(`Import failed: ${describeError(result.error)}`, 'error');
        return;
      }
      get().addJobs(result.value);
      const count = result.value.length;
      get().pushNotice(`${count} ${count === 1 ? 'file' : 'files'} added to the queue.`, 'info', 'queue');
      void get().loadMeetings();
    },
    async renameMeeting(meetingId, title) {
      const result = await api.renameMeeting(meetingId, title);
      if (!result.ok) return result;
      const renamed = result.value;
      set((state) => ({
        meetings: state.meetings.map((meeting) => (meeting.id === renamed.id ? renamed : meeting)),
        meetingView:
          state.meetingView.meetingId === renamed.id && state.meetingView.detail !== null
            ? { ...state.meetingView, detail: { ...state.meetingView.detail, meeting: renamed } }
            : state.meetingView,
      }));
      return result;
    },
    deleteMeeting(meetingId) {
      if (deleteTimers.has(meetingId)) return;
      const title =
        get().meetings.find((meeting) => meeting.id === meetingId)?.title ?? get().meetingView.detail?.meeting.title ?? 'the meeting';
      set((state) => ({ pendingDeletes: [...state.pendingDeletes, meetingId] }));
      if (get().route.screen === 'meeting' && get().route.meetingId === meetingId) get().navigate('library');
      const noticeId = get().pushNotice(`Deleted “${title}”.`, 'info', {
        action: { label: 'Undo', run: () => get().undoDelete(meetingId) },
        visibleMs: UNDO_DELETE_MS,
      });
      const timer = setTimeout(() => void commitDelete(meetingId), UNDO_DELETE_MS);
      deleteTimers.set(meetingId, { timer, noticeId });
    },
    undoDelete(meetingId) {
      const pending = deleteTimers.get(meetingId);
      if (pending === undefined) return;
      clearTimeout(pending.timer);
      deleteTimers.delete(meetingId);
      get().dismissNotice(pending.noticeId);
      set((state) => ({ pendingDeletes: state.pendingDeletes.filter((id) => id !== meetingId) }));
    },
    flushPendingDeletes() {
      for (const meetingId of [...deleteTimers.keys()]) void commitDelete(meetingId);
    },
  };

  async function commitDelete(meetingId: string): Promise<void> {
    const pending = deleteTimers.get(meetingId);
    if (pending === undefined) return;
    clearTimeout(pending.timer);
    deleteTimers.delete(meetingId);
    const result = await api.deleteMeeting(meetingId);
    set((state) => ({ pendingDeletes: state.pendingDeletes.filter((id) => id !== meetingId) }));
    if (!result.ok && result.error.code !== 'MEETING_NOT_FOUND')
      get().pushNotice(`Could not delete the meeting: ${describeError(result.error)}`, 'error');
    void get().loadMeetings();
  }
};
