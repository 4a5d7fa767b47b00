import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS, VERBATIM_API_METHODS, WIRE_METHODS, type VerbatimApi } from '../../src-shared/ipc-contract';
import { createPreloadApi, type PreloadIpc } from '../../src-preload/preload-api';

type Listener = (event: unknown, ...args: unknown[]) => void;

function fakeIpc() {
  const invoked: Array<{ channel: string; args: unknown[] }> = [];
  const listeners = new Map<string, Set<Listener>>();
  const ipc: PreloadIpc = {
    invoke: async (channel, ...args) => {
      invoked.push({ channel, args });
      return { ok: true, value: `answer of ${channel}` };
    },
    on: (channel, listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)?.add(listener);
    },
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  };
  const emit = (channel: string, payload: unknown): void => {
    for (const listener of listeners.get(channel) ?? []) listener({ sender: 'ipc event, never for the page' }, payload);
  };
  const listenerCount = (channel: string): number => listeners.get(channel)?.size ?? 0;
  return { ipc, invoked, emit, listenerCount };
}

function fakeFiles(paths: Map<File, string>) {
  return { pathForFile: (file: File): string => paths.get(file) ?? '' };
}

/** Arguments each request method is called with in the test (distinct values, so a mix-up shows). */
const REQUEST_ARGS: Partial<Record<keyof VerbatimApi, unknown[]>> = {
  engineInfo: [],
  getSettings: [],
  updateSettings: [{ language: 'de', useGpu: false }],
  listModels: [],
  downloadModel: ['whisper-base'],
  listCaptureDevices: [],
  startRecording: [{ inputDeviceId: 'mic-2' }],
  pauseRecording: [],
  resumeRecording: [],
  stopRecording: [],
  listMeetings: [],
  getMeeting: ['meeting-1'],
  searchLibrary: ['budget'],
  renameSpeaker: [7, 'Ada'],
  mergeSpeakers: ['meeting-2', 'SPEAKER_01', 'SPEAKER_00'],
  renameMeeting: ['meeting-2', 'Weekly sync'],
  editSegmentText: ['meeting-2', 12, 'corrected text'],
  setSegmentSpeaker: ['meeting-2', 12, 'SPEAKER_01'],
  setSegmentSpeakerName: ['meeting-2', 12, 'Diane'],
  restorePreviousTranscript: ['meeting-2'],
  deleteMeeting: ['meeting-3'],
  listJobs: [],
  cancelJob: ['job-1'],
  retryJob: ['job-2'],
  retranscribe: ['meeting-4', { modelId: 'whisper-small', language: null }, false],
  clearFinishedJobs: [],
  addModelFolder: ['/models/whisper-small'],
  listDiarizationModels: [],
  diarizeMeeting: ['meeting-5', { min: 2, max: 4 }],
};

describe('the preload API', () => {
  it('refuses more arguments than a method takes without sending anything to the main process', async () => {
    const { ipc, invoked } = fakeIpc();
    const api = createPreloadApi(ipc, fakeFiles(new Map())) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const method of ['engineInfo', 'getMeeting', 'renameSpeaker', 'editSegmentText'] as const) {
      const call = api[method];
      if (!call) throw new Error(method);
      expect(await call(...new Array<number>(50_000).fill(0)), method).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
    }
    expect(invoked).toEqual([]);
  });

  it('has exactly the VerbatimApi methods', () => {
    const api = createPreloadApi(fakeIpc().ipc, fakeFiles(new Map()));
    expect(Object.keys(api).sort()).toEqual([...VERBATIM_API_METHODS].sort());
    for (const key of VERBATIM_API_METHODS) expect(typeof api[key], key).toBe('function');
  });

  it('sends each request on its own wire channel, with its arguments, and returns the answer', async () => {
    const { ipc, invoked } = fakeIpc();
    const api = createPreloadApi(ipc, fakeFiles(new Map()));
    const methods = Object.keys(REQUEST_ARGS) as Array<keyof VerbatimApi>;
    for (const method of methods) {
      const args = REQUEST_ARGS[method] ?? [];
      invoked.length = 0;
      const call = api[method] as (...args: unknown[]) => Promise<unknown>;
      const answer = await call(...args);
      expect(invoked, method).toEqual([{ channel: IPC_CHANNELS.request(method as (typeof WIRE_METHODS)[number]), args }]);
      expect(answer, method).toEqual({ ok: true, value: `answer of verbatim:${method}` });
    }
    // Every page-facing wire method is covered above; importPaths and renderExport are reached through importFiles and exportTranscript.
    expect(methods.sort()).toEqual(WIRE_METHODS.filter((method) => method !== 'importPaths' && method !== 'renderExport').sort());
  });

  it('imports dropped files by their paths on disk, with the choice or an empty one', async () => {
    const { ipc, invoked } = fakeIpc();
    const first = new File(['a'], 'standup.m4a');
    const second = new File(['b'], 'review.wav');
    const api = createPreloadApi(
      ipc,
      fakeFiles(
        new Map([
          [first, '/home/me/standup.m4a'],
          [second, '/home/me/review.wav'],
        ]),
      ),
    );

    await api.importFiles([first, second], { modelId: 'whisper-base', language: 'fr' });
    await api.importFiles([second]);

    expect(invoked).toEqual([
      {
        channel: IPC_CHANNELS.request('importPaths'),
        args: [['/home/me/standup.m4a', '/home/me/review.wav'], { modelId: 'whisper-base', language: 'fr' }],
      },
      { channel: IPC_CHANNELS.request('importPaths'), args: [['/home/me/review.wav'], {}] },
    ]);
  });

  it('refuses files that are not on disk without calling the engine', async () => {
    const { ipc, invoked } = fakeIpc();
    const onDisk = new File(['a'], 'on-disk.wav');
    const madeInPage = new File(['b'], 'made-in-page.wav');
    const api = createPreloadApi(ipc, fakeFiles(new Map([[onDisk, '/tmp/on-disk.wav']])));
    const result = await api.importFiles([onDisk, madeInPage]);
    expect(result).toMatchObject({ ok: false, error: { code: 'IMPORT_FILE_NOT_ON_DISK', subject: 'made-in-page.wav' } });
    expect(invoked).toEqual([]);
  });

  it('exports through the save-dialog channel', async () => {
    const { ipc, invoked } = fakeIpc();
    await createPreloadApi(ipc, fakeFiles(new Map())).exportTranscript('meeting-9', 'srt');
    expect(invoked).toEqual([{ channel: IPC_CHANNELS.saveExport, args: ['meeting-9', 'srt'] }]);
  });

  it('builds media URLs on the verbatim-media protocol, escaping the id', () => {
    const api = createPreloadApi(fakeIpc().ipc, fakeFiles(new Map()));
    expect(api.mediaUrl('abc-123')).toBe('verbatim-media://meeting/abc-123');
    expect(api.mediaUrl('a/b?c#d')).toBe('verbatim-media://meeting/a%2Fb%3Fc%23d');
  });

  it('delivers each event channel to its listeners, payload only, until unsubscribed', () => {
    const { ipc, emit, listenerCount } = fakeIpc();
    const api = createPreloadApi(ipc, fakeFiles(new Map()));
    const subscriptions = [
      { subscribe: api.onRecordingEvent as (listener: (payload: unknown) => void) => () => void, channel: IPC_CHANNELS.event('recording') },
      { subscribe: api.onJobEvent as (listener: (payload: unknown) => void) => () => void, channel: IPC_CHANNELS.event('job') },
      {
        subscribe: api.onModelDownload as (listener: (payload: unknown) => void) => () => void,
        channel: IPC_CHANNELS.event('model-download'),
      },
    ];
    for (const { subscribe, channel } of subscriptions) {
      const received: unknown[][] = [];
      const unsubscribe = subscribe((...args) => received.push(args));
      expect(listenerCount(channel), channel).toBe(1);
      emit(channel, { marker: channel });
      emit('verbatim:event:other', { marker: 'other' });
      expect(received, channel).toEqual([[{ marker: channel }]]);
      unsubscribe();
      expect(listenerCount(channel), channel).toBe(0);
      emit(channel, { marker: 'after unsubscribe' });
      expect(received, channel).toHaveLength(1);
    }
  });
});

describe('VERBATIM_API_METHODS', () => {
  it('lists each method once', () => {
    expect(new Set(VERBATIM_API_METHODS).size).toBe(VERBATIM_API_METHODS.length);
  });
});
