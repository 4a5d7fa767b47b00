import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IPC_CHANNELS, WIRE_ARITY, WIRE_METHODS, type WireEvent, type WireHandlers, type WireMethod } from '../../src-shared/ipc-contract';
import { fail, ok, type Result } from '../../src-shared/result';
import { writeFileAtomic } from '../../src-main/export/write-file';
import { forwardWireEvents, registerSaveExport, registerWireHandlers, type IpcMainLike } from '../../src-main/electron/ipc';
import { withMicrophoneAccess } from '../../src-main/electron/microphone-access';

interface FakeEvent {
  trusted: boolean;
}

function fakeIpcMain() {
  const handlers = new Map<string, (event: FakeEvent, ...args: unknown[]) => Promise<unknown>>();
  const registrations: string[] = [];
  const ipcMain: IpcMainLike<FakeEvent> = {
    handle: (channel, listener) => {
      registrations.push(channel);
      handlers.set(channel, listener);
    },
  };
  const invoke = (channel: string, event: FakeEvent, ...args: unknown[]): Promise<unknown> => {
    const handler = handlers.get(channel);
    if (handler === undefined) throw new Error(`no handler for ${channel}`);
    return handler(event, ...args);
  };
  return { ipcMain, registrations, invoke };
}

/** Engine handlers that record their calls and answer with their own name. */
function recordingHandlers(overrides: Partial<Record<WireMethod, (...args: unknown[]) => Promise<Result<unknown>>>> = {}) {
  const calls: Array<{ method: WireMethod; args: unknown[] }> = [];
  const entries = WIRE_METHODS.map((method) => [
    method,
    async (...args: unknown[]) => {
      calls.push({ method, args });
      return overrides[method] ? overrides[method](...args) : ok(`${method} answered`);
    },
  ]);
  return { handlers: Object.fromEntries(entries) as unknown as WireHandlers, calls };
}

const isTrusted = (event: FakeEvent): boolean => event.trusted;
const TRUSTED: FakeEvent = { trusted: true };
const UNTRUSTED: FakeEvent = { trusted: false };

describe('registerWireHandlers', () => {
  it('registers every wire method once, on its own channel, and nothing else', () => {
    const { ipcMain, registrations } = fakeIpcMain();
    registerWireHandlers(ipcMain, recordingHandlers(), isTrusted);
    expect([...registrations].sort()).toEqual(WIRE_METHODS.map((method) => IPC_CHANNELS.request(method)).sort());
    expect(new Set(registrations).size).toBe(WIRE_METHODS.length);
  });

  it('dispatches a trusted request to its handler with the arguments as sent', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    const services = recordingHandlers();
    registerWireHandlers(ipcMain, services, isTrusted);
    for (const method of WIRE_METHODS) {
      const args = [`${method}-arg`, 42, null].slice(0, WIRE_ARITY[method]);
      services.calls.length = 0;
      expect(await invoke(IPC_CHANNELS.request(method), TRUSTED, ...args), method).toEqual(ok(`${method} answered`));
      expect(services.calls, method).toEqual([{ method, args }]);
    }
  });

  it('refuses an untrusted sender without calling the handler', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    const services = recordingHandlers();
    registerWireHandlers(ipcMain, services, isTrusted);
    for (const method of WIRE_METHODS) {
      expect(await invoke(IPC_CHANNELS.request(method), UNTRUSTED, 'x'), method).toMatchObject({
        ok: false,
        error: { code: 'IPC_UNTRUSTED_SENDER' },
      });
    }
    expect(services.calls).toEqual([]);
  });

  it('refuses more arguments than a method takes before the engine sees them, however many there are', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    const services = recordingHandlers();
    registerWireHandlers(ipcMain, services, isTrusted);
    for (const method of WIRE_METHODS) {
      for (const count of [WIRE_ARITY[method] + 1, 50_000]) {
        const answer = await invoke(IPC_CHANNELS.request(method), TRUSTED, ...new Array<number>(count).fill(0));
        expect(answer, `${method} with ${count} arguments`).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
      }
    }
    expect(services.calls).toEqual([]);
  });

  it('answers a Result even when a handler throws', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    const services = recordingHandlers({
      listMeetings: async () => {
        throw new Error('database is locked');
      },
    });
    registerWireHandlers(ipcMain, services, isTrusted);
    expect(await invoke(IPC_CHANNELS.request('listMeetings'), TRUSTED)).toEqual(fail('IPC_HANDLER_FAILED', 'database is locked'));
  });
});

describe('registerSaveExport', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'verbatim-save-export-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const rendered = { fileName: 'Weekly sync.srt', mimeType: 'application/x-subrip', content: '1\n00:00:00,000 --> 00:00:01,000\nHello\n' };

  function setUp(choice: (fileName: string) => string | null, renderExport?: (...args: unknown[]) => Promise<Result<unknown>>) {
    const { ipcMain, registrations, invoke } = fakeIpcMain();
    const services = recordingHandlers({ renderExport: renderExport ?? (async () => ok(rendered)) });
    const dialogs: string[] = [];
    registerSaveExport(ipcMain, services, isTrusted, {
      chooseSavePath: async (_event, fileName) => {
        dialogs.push(fileName);
        return choice(fileName);
      },
      writeFile: writeFileAtomic,
    });
    return { registrations, invoke, services, dialogs };
  }

  it('renders, asks where with the rendered file name, and writes the file there', async () => {
    const target = join(dir, 'chosen.srt');
    const { registrations, invoke, services, dialogs } = setUp(() => target);
    expect(registrations).toEqual([IPC_CHANNELS.saveExport]);
    expect(await invoke(IPC_CHANNELS.saveExport, TRUSTED, 'meeting-1', 'srt')).toEqual(ok({ savedTo: target }));
    expect(services.calls).toEqual([{ method: 'renderExport', args: ['meeting-1', 'srt'] }]);
    expect(dialogs).toEqual(['Weekly sync.srt']);
    expect(await readFile(target, 'utf8')).toBe(rendered.content);
    // Written through a temporary file that is gone afterwards.
    expect(await readdir(dir)).toEqual(['chosen.srt']);
  });

  it('writes nothing when the user cancels the dialog', async () => {
    const { invoke } = setUp(() => null);
    expect(await invoke(IPC_CHANNELS.saveExport, TRUSTED, 'meeting-1', 'srt')).toEqual(ok({ savedTo: null }));
    expect(await readdir(dir)).toEqual([]);
  });

  it('returns the engine’s refusal without showing a dialog', async () => {
    const refusal = fail('MEETING_NOT_FOUND', 'No such meeting.', 'meeting-x');
    const { invoke, dialogs } = setUp(
      () => join(dir, 'never.srt'),
      async () => refusal,
    );
    expect(await invoke(IPC_CHANNELS.saveExport, TRUSTED, 'meeting-x', 'srt')).toEqual(refusal);
    expect(dialogs).toEqual([]);
  });

  it('reports a write failure as a Result', async () => {
    const { invoke } = setUp(() => join(dir, 'missing-folder', 'out.srt'));
    expect(await invoke(IPC_CHANNELS.saveExport, TRUSTED, 'meeting-1', 'srt')).toMatchObject({
      ok: false,
      error: { code: 'EXPORT_DIR_NOT_FOUND' },
    });
  });

  it('refuses extra arguments before rendering or asking', async () => {
    const { invoke, services, dialogs } = setUp(() => join(dir, 'never.srt'));
    expect(await invoke(IPC_CHANNELS.saveExport, TRUSTED, 'meeting-1', 'srt', ...new Array<number>(50_000).fill(0))).toMatchObject({
      ok: false,
      error: { code: 'IPC_BAD_REQUEST' },
    });
    expect(services.calls).toEqual([]);
    expect(dialogs).toEqual([]);
  });

  it('refuses an untrusted sender before rendering or asking', async () => {
    const { invoke, services, dialogs } = setUp(() => join(dir, 'never.srt'));
    expect(await invoke(IPC_CHANNELS.saveExport, UNTRUSTED, 'meeting-1', 'srt')).toMatchObject({
      ok: false,
      error: { code: 'IPC_UNTRUSTED_SENDER' },
    });
    expect(services.calls).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});

describe('forwardWireEvents', () => {
  it('sends each engine event on its channel until unsubscribed', () => {
    const listeners = new Set<(event: WireEvent) => void>();
    const services = {
      onEvent(listener: (event: WireEvent) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const sent: Array<[string, unknown]> = [];
    const unsubscribe = forwardWireEvents(services, (channel, payload) => sent.push([channel, payload]));
    const progress = { modelId: 'whisper-base', receivedBytes: 10, totalBytes: 100, state: 'downloading' as const, error: null };
    const emit = (event: WireEvent): void => listeners.forEach((listener) => listener(event));
    emit({ channel: 'model-download', payload: progress });
    emit({ channel: 'recording', payload: { type: 'level', at: 1.5, rms: 0.2, peak: 0.6 } });
    unsubscribe();
    emit({ channel: 'model-download', payload: progress });
    expect(sent.map(([channel]) => channel)).toEqual([IPC_CHANNELS.event('model-download'), IPC_CHANNELS.event('recording')]);
    expect(sent.map(([, payload]) => payload)).toEqual([progress, { type: 'level', at: 1.5, rms: 0.2, peak: 0.6 }]);
  });
});

describe('withMicrophoneAccess', () => {
  it('asks before starting a recording and refuses when access is denied', async () => {
    const services = recordingHandlers();
    let asked = 0;
    const gated = withMicrophoneAccess(services.handlers, async () => {
      asked += 1;
      return false;
    });
    expect(await gated.startRecording({})).toMatchObject({ ok: false, error: { code: 'MICROPHONE_ACCESS_DENIED' } });
    expect(asked).toBe(1);
    expect(services.calls).toEqual([]);
  });

  it('starts the recording with its arguments when access is granted, and leaves other methods alone', async () => {
    const services = recordingHandlers();
    let asked = 0;
    const gated = withMicrophoneAccess(services.handlers, async () => {
      asked += 1;
      return true;
    });
    expect(await gated.startRecording({ inputDeviceId: 'mic-1' })).toEqual(ok('startRecording answered'));
    expect(await gated.listMeetings()).toEqual(ok('listMeetings answered'));
    expect(asked).toBe(1);
    expect(services.calls).toEqual([
      { method: 'startRecording', args: [{ inputDeviceId: 'mic-1' }] },
      { method: 'listMeetings', args: [] },
    ]);
  });
});
