/**
 * The wire handlers trust nothing the page sends: every malformed argument is refused with
 * IPC_BAD_REQUEST before it reaches the engine. What the page leaves out comes from the settings.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WIRE_METHODS, type AppSettings, type WireMethod } from '../../src-shared/ipc-contract';
import { withSettings } from '../../src-main/api/queue-handlers';
import type { AppServices } from '../../src-main/api/types';
import { recordingRequest } from '../../src-main/api/wire-handlers';
import { makeTempDir } from '../audio/helpers';
import { openTestServices } from '../bridge/bridge-helpers';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let services: AppServices;

beforeAll(async () => {
  temp = await makeTempDir('wire-handlers');
  services = await openTestServices(path.join(temp.dir, 'data'));
});
afterAll(async () => {
  await services?.dispose();
  await temp?.cleanup();
});

const long = 'x'.repeat(5000);
const MALFORMED: Record<WireMethod, unknown[][]> = {
  engineInfo: [[1]],
  getSettings: [['all']],
  updateSettings: [
    [],
    [null],
    ['ko'],
    [{ language: 5 }],
    [{ useGpu: 'true' }],
    [{ unknown: 1 }],
    [{ storageDir: '../elsewhere' }],
    [{}, {}],
  ],
  listModels: [[true]],
  downloadModel: [[], [null], [''], [{ id: 'whisper-base' }], [long]],
  addModelFolder: [[], [null], [''], [42], [long]],
  listDiarizationModels: [[1]],
  listCaptureDevices: [[1]],
  startRecording: [['mic'], [{ deviceId: 3 }], [{ task: 'summarize' }], [{ transcribe: 'no' }], [{ modelId: '' }], [{}, {}]],
  pauseRecording: [[1]],
  resumeRecording: [[1]],
  stopRecording: [[1]],
  listMeetings: [[{ limit: 5 }]],
  getMeeting: [[], [7], [''], [long]],
  searchLibrary: [[], [null], [{ q: 'x' }], ['x'.repeat(1001)]],
  renameSpeaker: [[], ['1', 'Ana'], [-1, 'Ana'], [1.5, 'Ana'], [1, 42], [1, 'x'.repeat(501)]],
  mergeSpeakers: [[], ['m'], ['m', 'SPEAKER_00'], ['m', 1, 'SPEAKER_01'], ['m', 'SPEAKER_00', ''], [3, 'A', 'B']],
  renameMeeting: [[], ['m'], ['m', 5], [3, 'Title'], ['m', 'x'.repeat(501)]],
  setSegmentSpeakerName: [[], ['m'], ['m', '0', 'Ana'], ['m', -1, 'Ana'], ['m', 0, 5], [3, 0, 'Ana'], ['m', 0, 'x'.repeat(201)]],
  restorePreviousTranscript: [[], [null], [5]],
  setSegmentSpeaker: [[], ['m'], ['m', '0', 'A'], ['m', -1, 'A'], ['m', 0, 5], [3, 0, 'A']],
  editSegmentText: [[], ['m'], ['m', '0', 'text'], ['m', -1, 'text'], ['m', 0, 5], ['m', 0, null], [3, 0, 'text']],
  deleteMeeting: [[], [null], [['m']]],
  importPaths: [
    [],
    [[]],
    ['/a.wav'],
    [['relative.wav']],
    [[42]],
    [['/a.wav'], 'whisper-base'],
    [['/a.wav'], { language: 'English' }],
    [['/a.wav'], { task: 'x' }],
    [['/a\0.wav']],
  ],
  listJobs: [[{}]],
  cancelJob: [[], [1], ['']],
  retryJob: [[], [{}], ['']],
  retranscribe: [[], [1, {}], ['m', 'whisper-base'], ['m', { modelId: 3 }], ['m', {}, 'yes']],
  clearFinishedJobs: [[1]],
  diarizeMeeting: [[], [1, null], ['m', 3], ['m', { exact: 0 }], ['m', { min: 4, max: 2 }], ['m', { max: 2.5 }]],
  renderExport: [[], ['m'], ['m', 'pdf'], ['m', 'SRT'], [1, 'srt']],
};

describe('wire handler validation', () => {
  it('has malformed cases for every method', () => {
    expect(Object.keys(MALFORMED).sort()).toEqual([...WIRE_METHODS].sort());
  });

  it.each(WIRE_METHODS.map((method) => [method]))('%s refuses malformed arguments with IPC_BAD_REQUEST', async (method) => {
    for (const args of MALFORMED[method]) {
      const result = await services.handlers[method](...args);
      expect(result.ok === false && result.error.code, `${method}(${JSON.stringify(args).slice(0, 80)})`).toBe('IPC_BAD_REQUEST');
    }
  });

  it('passes well-formed arguments through to the library, which answers with its own errors', async () => {
    const missing = await services.handlers.getMeeting('no-such-meeting');
    expect(missing.ok === false && missing.error.code).toBe('MEETING_NOT_FOUND');
    const exported = await services.handlers.renderExport('no-such-meeting', 'srt');
    expect(exported.ok === false && exported.error.code).toBe('MEETING_NOT_FOUND');
    const empty = await services.handlers.searchLibrary('');
    expect(empty).toEqual({ ok: true, value: [] });
    const stop = await services.handlers.stopRecording();
    expect(stop.ok === false && stop.error.code).toBe('RECORDING_NOT_RUNNING');
    const info = await services.handlers.engineInfo();
    expect(info.ok && info.value.executionProvider.requested).toBe('cpu');
    // The version is package.json's, not a copy that drifts from it.
    const packageJson = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(info.ok && info.value.version).toBe(packageJson.version);
  });
});

describe('what the page leaves out comes from the settings', () => {
  const settings: AppSettings = {
    modelId: 'my-local',
    language: 'de',
    vocabulary: '',
    useGpu: true,
    findSpeakers: true,
    storageDir: '/data',
    inputDeviceId: 'mic-2',
    monitorDeviceId: 'monitor-1',
    userName: 'Me',
  };
  const places = { modelsDir: '/data/models', local: { id: 'my-local', dir: '/models/my-local' } };

  it('fills a recording request and opens the local model from its folder', () => {
    expect(recordingRequest({}, settings, places)).toEqual({
      modelId: 'my-local',
      language: 'de',
      deviceId: 'mic-2',
      monitorDeviceId: 'monitor-1',
      modelDir: '/models/my-local',
    });
    expect(
      recordingRequest(
        { modelId: 'whisper-base', language: null, deviceId: null, monitorDeviceId: null, transcribe: false },
        settings,
        places,
      ),
    ).toEqual({
      modelId: 'whisper-base',
      language: null,
      deviceId: null,
      monitorDeviceId: null,
      transcribe: false,
    });
  });

  it('takes the vocabulary prompt from the settings unless the request brings its own', () => {
    const withVocabulary = { ...settings, vocabulary: 'Verbatim, Hyprnote, 김민지' };
    expect(recordingRequest({}, withVocabulary, places).prompt).toBe('Verbatim, Hyprnote, 김민지');
    expect(recordingRequest({ prompt: 'Otter' }, withVocabulary, places).prompt).toBe('Otter');
    expect(withSettings({}, withVocabulary).prompt).toBe('Verbatim, Hyprnote, 김민지');
    // A re-transcription without its own prompt keeps the one the meeting was made with (its handler's job).
    expect(withSettings({}, withVocabulary, 'retranscribe').prompt).toBeUndefined();
  });

  it('fills a job’s model and language, keeping what the page chose', () => {
    expect(withSettings({}, settings)).toEqual({ modelId: 'my-local', language: 'de' });
    expect(withSettings({ modelId: 'whisper-small', language: null, task: 'translate' }, settings)).toEqual({
      modelId: 'whisper-small',
      language: null,
      task: 'translate',
    });
  });
});
