/** The live recording: status, level, clock, live transcript, and the capture choices behind it. */
import type { AppSettings } from '../../../src-shared/ipc-contract';
import type { CaptureDevice, RecordingEvent, RecordingStatus } from '../../../src-shared/recording-events';
import type { CodedError, Result } from '../../../src-shared/result';
import { clockOnLevel, clockOnStatus, resetClock, type ElapsedClock } from './elapsed-clock';
import { applyToLiveTranscript, emptyLiveTranscript, type LiveTranscript } from './live-transcript';
import type { AppState, SliceCreator } from './types';

export interface CaptureChoice {
  inputDeviceId: string | null;
  systemAudio: boolean;
  monitorDeviceId: string | null;
  language: string | null;
}

export type RecordingAction = 'start' | 'pause' | 'resume' | 'stop';

export interface SavedRecording {
  sessionId: string;
  seconds: number;
}

export interface RecordingSlice {
  recordingStatus: RecordingStatus;
  sessionId: string | null;
  level: { rms: number; peak: number };
  clock: ElapsedClock;
  live: LiveTranscript;
  saved: SavedRecording | null;
  recordingError: CodedError | null;
  pendingAction: RecordingAction | null;
  devices: CaptureDevice[];
  devicesLoaded: boolean;
  devicesError: CodedError | null;
  capture: CaptureChoice;
  loadDevices(): Promise<void>;
  adoptCaptureDefaults(settings: AppSettings): void;
  setCapture(patch: Partial<CaptureChoice>): void;
  startRecording(): Promise<void>;
  pauseRecording(): Promise<void>;
  resumeRecording(): Promise<void>;
  stopRecording(): Promise<void>;
  applyRecordingEvent(event: RecordingEvent): void;
}

const SILENT = { rms: 0, peak: 0 } as const;

function statusChange(state: AppState, status: RecordingStatus, sessionId: string | null): Partial<AppState> {
  const isNewSession = status === 'recording' && sessionId !== null && sessionId !== state.sessionId;
  const base = isNewSession
    ? { clock: resetClock(), live: emptyLiveTranscript(), saved: null, recordingError: null }
    : { clock: state.clock };
  return {
    ...base,
    recordingStatus: status,
    sessionId: sessionId ?? state.sessionId,
    clock: clockOnStatus(base.clock, status, Date.now()),
    level: status === 'recording' ? state.level : SILENT,
  };
}

export const createRecordingSlice: SliceCreator<RecordingSlice> = (set, get, api) => {
  async function runAction<T>(action: RecordingAction, call: () => Promise<Result<T>>): Promise<Result<T>> {
    set({ pendingAction: action, recordingError: null });
    const result = await call();
    set({ pendingAction: null, recordingError: result.ok ? null : result.error });
    return result;
  }

  function confirmStatus(expectedFrom: readonly RecordingStatus[], status: RecordingStatus, sessionId: string | null): void {
    // The status event usually arrives first; this covers a client that delivers it late.
    if (expectedFrom.includes(get().recordingStatus)) set((state) => statusChange(state, status, sessionId));
  }

  return {
    recordingStatus: 'idle',
    sessionId: null,
    level: SILENT,
    clock: resetClock(),
    live: emptyLiveTranscript(),
    saved: null,
    recordingError: null,
    pendingAction: null,
    devices: [],
    devicesLoaded: false,
    devicesError: null,
    capture: { inputDeviceId: null, systemAudio: false, monitorDeviceId: null, language: null },
    async loadDevices() {
      const result = await api.listCaptureDevices();
      if (result.ok) set({ devices: result.value, devicesLoaded: true, devicesError: null });
      else set({ devicesLoaded: true, devicesError: result.error });
    },
    adoptCaptureDefaults(settings) {
      set({
        capture: {
          inputDeviceId: settings.inputDeviceId,
          systemAudio: settings.monitorDeviceId !== null,
          monitorDeviceId: settings.monitorDeviceId,
          language: settings.language,
        },
      });
    },
    setCapture(patch) {
      const capture = { ...get().capture, ...patch };
      if (capture.systemAudio && capture.monitorDeviceId === null) {
        capture.monitorDeviceId = get().devices.find((device) => device.kind === 'monitor')?.id ?? null;
      }
      set({ capture });
      // Device choices are remembered for next time; the language here is for this recording only.
      if ('inputDeviceId' in patch || 'systemAudio' in patch || 'monitorDeviceId' in patch) {
        void get().saveSettings({
          inputDeviceId: capture.inputDeviceId,
          monitorDeviceId: capture.systemAudio ? capture.monitorDeviceId : null,
        });
      }
    },
    async startRecording() {
      const { capture } = get();
      set({ live: emptyLiveTranscript(), clock: resetClock(), saved: null, sessionId: null });
      const result = await runAction('start', () =>
        api.startRecording({
          deviceId: capture.inputDeviceId,
          monitorDeviceId: capture.systemAudio ? capture.monitorDeviceId : null,
          language: capture.language,
        }),
      );
      if (!result.ok) return;
      set((state) => ({ sessionId: state.sessionId ?? result.value.sessionId }));
      confirmStatus(['idle'], 'recording', result.value.sessionId);
    },
    async pauseRecording() {
      const result = await runAction('pause', () => api.pauseRecording());
      if (result.ok) confirmStatus(['recording'], 'paused', null);
    },
    async resumeRecording() {
      const result = await runAction('resume', () => api.resumeRecording());
      if (result.ok) confirmStatus(['paused'], 'recording', null);
    },
    async stopRecording() {
      const result = await runAction('stop', () => api.stopRecording());
      if (!result.ok) return;
      confirmStatus(['recording', 'paused', 'stopping'], 'idle', null);
      if (get().saved === null) set({ saved: { sessionId: result.value.id, seconds: result.value.seconds } });
      void get().loadMeetings();
    },
    applyRecordingEvent(event) {
      switch (event.type) {
        case 'status':
          set((state) => statusChange(state, event.status, event.sessionId));
          return;
        case 'level':
          set((state) => ({ level: { rms: event.rms, peak: event.peak }, clock: clockOnLevel(state.clock, event.at) }));
          return;
        case 'saved':
          set({ saved: { sessionId: event.sessionId, seconds: event.seconds } });
          void get().loadMeetings();
          return;
        case 'recovered': {
          const count = event.recordings.length;
          if (count === 0) return;
          get().pushNotice(`${count} interrupted ${count === 1 ? 'recording was' : 'recordings were'} recovered into the library.`);
          void get().loadMeetings();
          return;
        }
        case 'error':
          set((state) => ({
            live: applyToLiveTranscript(state.live, event),
            recordingError: event.fatal ? event.error : state.recordingError,
          }));
          return;
        default:
          set((state) => {
            const live = applyToLiveTranscript(state.live, event);
            return live === state.live ? {} : { live };
          });
      }
    },
  };
};
