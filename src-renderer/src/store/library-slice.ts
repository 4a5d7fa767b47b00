/** The meeting list, full-text search and imports. */
import type { MeetingSummary, SearchHit } from '../../../src-shared/library';
import type { CodedError } from '../../../src-shared/result';
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
  /** Reloads the list; calls while a load runs are folded into one more load after it. */
  loadMeetings(): Promise<void>;
  setSearchQuery(query: string): void;
  runSearch(query: string): Promise<void>;
  importFiles(files: readonly File[]): Promise<void>;
}

export const createLibrarySlice: SliceCreator<LibrarySlice> = (set, get, api) => {
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
  };
};
