/** The app store is one zustand store made of slices; each slice gets set/get and the engine API. */
import type { StoreApi } from 'zustand/vanilla';
import type { VerbatimApi } from '../../../src-shared/ipc-contract';
import type { JobsSlice } from './jobs-slice';
import type { LibrarySlice } from './library-slice';
import type { MeetingSlice } from './meeting-slice';
import type { RecordingSlice } from './recording-slice';
import type { SettingsSlice } from './settings-slice';
import type { UiSlice } from './ui-slice';

export type AppState = RecordingSlice & LibrarySlice & MeetingSlice & JobsSlice & SettingsSlice & UiSlice;

export type AppStore = StoreApi<AppState>;
export type SetState = AppStore['setState'];
export type GetState = AppStore['getState'];
export type SliceCreator<Slice> = (set: SetState, get: GetState, api: VerbatimApi) => Slice;
