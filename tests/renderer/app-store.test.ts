import { describe, expect, it } from 'vitest';
import type { ModelDownloadProgress, ModelEntry, VerbatimApi } from '../../src-shared/ipc-contract';
import type { JobEvent } from '../../src-shared/jobs';
import type { MeetingSummary } from '../../src-shared/library';
import type { RecordingEvent } from '../../src-shared/recording-events';
import { fail, ok } from '../../src-shared/result';
import { connectEngineEvents, createAppStore } from '../../src-renderer/src/store/app-store';
import { jobRow, segment } from './fixtures';

/** An engine stand-in that counts calls and lets the test push events; the store and its slices are real. */
function engineDouble() {
  const listeners = {
    recording: new Set<(event: RecordingEvent) => void>(),
    job: new Set<(event: JobEvent) => void>(),
    model: new Set<(progress: ModelDownloadProgress) => void>(),
  };
  const calls: string[] = [];
  let modelInstalled = false;
  const model = (): ModelEntry => ({
    id: 'whisper-base',
    label: 'Whisper base',
    multilingual: true,
    parametersMillions: 74,
    downloadBytes: 1000,
    installed: modelInstalled,
    diskBytes: modelInstalled ? 1000 : 0,
    local: false,
    location: modelInstalled ? '/m/whisper-base' : null,
  });
  const meetings: MeetingSummary[] = [];
  const notInTest = async () => fail('INVALID_INPUT', 'not used by this test');
  const subscribe =
    <Listener>(set: Set<Listener>) =>
    (listener: Listener) => {
      set.add(listener);
      return () => set.delete(listener);
    };
  const api: VerbatimApi = {
    engineInfo: async () =>
      ok({
        version: '0',
        ffmpeg: null,
        executionProvider: { requested: 'cpu', active: 'cpu', fallbackReason: null },
        modelsDir: '/m',
        platform: 'linux',
      }),
    getSettings: async () =>
      ok({
        modelId: 'whisper-base',
        language: null,
        vocabulary: '',
        useGpu: false,
        findSpeakers: true,
        storageDir: '/d',
        inputDeviceId: null,
        monitorDeviceId: null,
        userName: 'Me',
      }),
    updateSettings: notInTest,
    listModels: async () => {
      calls.push('listModels');
      return ok([model()]);
    },
    downloadModel: async () => ok(undefined),
    onModelDownload: subscribe(listeners.model),
    addModelFolder: notInTest,
    listDiarizationModels: async () => ok([]),
    listCaptureDevices: async () => ok([]),
    startRecording: async () => ok({ sessionId: 'session-1' }),
    pauseRecording: notInTest,
    resumeRecording: notInTest,
    stopRecording: notInTest,
    onRecordingEvent: subscribe(listeners.recording),
    listMeetings: async () => {
      calls.push('listMeetings');
      await Promise.resolve();
      return ok(meetings);
    },
    getMeeting: notInTest,
    searchLibrary: notInTest,
    renameSpeaker: notInTest,
    mergeSpeakers: notInTest,
    renameMeeting: notInTest,
    editSegmentText: notInTest,
    setSegmentSpeaker: notInTest,
    setSegmentSpeakerName: notInTest,
    restorePreviousTranscript: notInTest,
    deleteMeeting: notInTest,
    mediaUrl: (meetingId) => `media/${meetingId}`,
    importFiles: notInTest,
    listJobs: async () => ok([]),
    cancelJob: notInTest,
    retryJob: notInTest,
    retranscribe: notInTest,
    clearFinishedJobs: notInTest,
    diarizeMeeting: notInTest,
    onJobEvent: subscribe(listeners.job),
    onTranscriptDraft: () => () => undefined,
    onConnectionChange: () => () => undefined,
    exportTranscript: notInTest,
  };
  return {
    api,
    calls,
    install: () => {
      modelInstalled = true;
    },
    emitJob: (event: JobEvent) => listeners.job.forEach((listener) => listener(event)),
    emitRecording: (event: RecordingEvent) => listeners.recording.forEach((listener) => listener(event)),
    emitModel: (progress: ModelDownloadProgress) => listeners.model.forEach((listener) => listener(progress)),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('app store fed by engine events', () => {
  it('opens on the first-run screen and goes to Record once the download is done', async () => {
    const engine = engineDouble();
    const store = createAppStore(engine.api);
    connectEngineEvents(store, engine.api);
    await store.getState().initialize();
    expect(store.getState().startup.phase).toBe('first-run');

    engine.emitModel({ modelId: 'whisper-base', receivedBytes: 500, totalBytes: 1000, state: 'downloading', error: null });
    expect(store.getState().downloads['whisper-base']?.receivedBytes).toBe(500);
    engine.install();
    engine.emitModel({ modelId: 'whisper-base', receivedBytes: 1000, totalBytes: 1000, state: 'done', error: null });
    await settle();
    expect(store.getState().startup.phase).toBe('ready');
    expect(store.getState().route.screen).toBe('record');
  });

  it('refreshes the meeting list on job state changes, not on progress, folding bursts into one more load', async () => {
    const engine = engineDouble();
    const store = createAppStore(engine.api);
    connectEngineEvents(store, engine.api);
    const job = jobRow('j1', { state: 'running' });

    engine.emitJob({ type: 'changed', job });
    engine.emitJob({ type: 'changed', job: { ...job, progress: 10 } });
    engine.emitJob({ type: 'changed', job: { ...job, progress: 20 } });
    engine.emitJob({ type: 'progress', jobId: 'j1', progress: 30, stage: 'transcribe' });
    await settle();
    await settle();
    expect(engine.calls.filter((call) => call === 'listMeetings')).toHaveLength(2);
    expect(store.getState().jobs[0]).toMatchObject({ id: 'j1', progress: 30, stage: 'transcribe' });
  });

  it('starts a fresh live transcript and clock for a new session', async () => {
    const engine = engineDouble();
    const store = createAppStore(engine.api);
    connectEngineEvents(store, engine.api);
    engine.emitRecording({ type: 'status', status: 'recording', sessionId: 'old' });
    engine.emitRecording({ type: 'committed', segment: segment(0, 0, 1, 'old text') });
    engine.emitRecording({ type: 'level', at: 1, rms: 0.2, peak: 0.4 });
    engine.emitRecording({ type: 'status', status: 'idle', sessionId: null });
    expect(store.getState().level).toEqual({ rms: 0, peak: 0 });

    await store.getState().startRecording();
    engine.emitRecording({ type: 'status', status: 'recording', sessionId: 'session-1' });
    const state = store.getState();
    expect(state.live.items).toHaveLength(0);
    expect(state.clock.lastLevelAt).toBeNull();
    expect(state.recordingStatus).toBe('recording');
    expect(state.sessionId).toBe('session-1');
  });
});
