/** Builds the one app store from its slices and connects it to the engine's event streams. */
import { createStore } from 'zustand/vanilla';
import type { VerbatimApi } from '../../../src-shared/ipc-contract';
import { createJobsSlice } from './jobs-slice';
import { createLibrarySlice } from './library-slice';
import { createMeetingSlice } from './meeting-slice';
import { createRecordingSlice } from './recording-slice';
import { createSettingsSlice } from './settings-slice';
import type { AppState, AppStore } from './types';
import { createUiSlice } from './ui-slice';

export function createAppStore(api: VerbatimApi): AppStore {
  return createStore<AppState>()((set, get) => ({
    ...createUiSlice(set, get, api),
    ...createSettingsSlice(set, get, api),
    ...createRecordingSlice(set, get, api),
    ...createLibrarySlice(set, get, api),
    ...createMeetingSlice(set, get, api),
    ...createJobsSlice(set, get, api),
  }));
}

/** Subscribes once for the app's lifetime; every event goes to the slice that owns it. */
export function connectEngineEvents(store: AppStore, api: VerbatimApi): () => void {
  const unsubscribers = [
    api.onRecordingEvent((event) => store.getState().applyRecordingEvent(event)),
    api.onJobEvent((event) => store.getState().applyJobEvent(event)),
    api.onModelDownload((progress) => store.getState().applyModelDownload(progress)),
    api.onTranscriptDraft((draft) => store.getState().applyTranscriptDraft(draft)),
    api.onConnectionChange((connected) => {
      store.getState().setConnected(connected);
      // Back online: whatever happened meanwhile (jobs finished, meetings added) is fetched again.
      if (connected) void store.getState().refreshAfterReconnect();
    }),
  ];
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
