/**
 * The bridge's WebSocket under random and adversarial messages while a real recording runs: `npm run
 * serve` in its own process (real engine, PortAudio capturing a PulseAudio sine source through the
 * private daemon, live transcription with the generated tiny Whisper), a bounded number of messages
 * (huge argument arrays, deep nesting, wrong types, prototype keys, binary frames, invalid UTF-8,
 * oversized frames, random calls of every method). Every request must be answered (or, for a frame
 * that is not a JSON text, the connection closed with a close code), the process must stay up and
 * responsive, and the recording must come out whole. The seed is printed; VERBATIM_FUZZ_SEED replays it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeServerMessage } from '../../src-shared/bridge-protocol';
import { WIRE_METHODS, type WireEvent } from '../../src-shared/ipc-contract';
import type { RecordingSummary } from '../../src-shared/recording-events';
import type { Result } from '../../src-shared/result';
import { makeTempDir } from '../audio/helpers';
import { seededRandom } from '../export/fixtures';
import { decodeS16, expectConsistentHeader, probe } from '../record/disk/wav-test-helpers';
import { startPrivatePulse, type PrivatePulse } from '../setup/pulse';
import { REPO_ROOT, TINY_MULTILINGUAL } from '../support/paths';
import { http } from './bridge-helpers';

const MESSAGES = 1000;
const ANSWER_TIMEOUT_MS = 15_000;
/** Above the bridge's 16 MiB message limit: the server must close the connection (1009), not buffer it. */
const OVERSIZED_BYTES = 17 * 1024 * 1024;

const started =
  process.platform === 'linux' ? await startPrivatePulse() : ({ ok: false, reason: 'PulseAudio capture runs on Linux' } as const);
if (!started.ok && process.env.VERBATIM_REQUIRE_AUDIO === '1') throw new Error(`the protocol fuzz test cannot run: ${started.reason}`);
const pulse: PrivatePulse | null = started.ok ? started.pulse : null;

const seed = Number(process.env.VERBATIM_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`protocol fuzz seed: ${seed} (replay with VERBATIM_FUZZ_SEED=${seed})`);
const random = seededRandom(seed);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const integer = (max: number): number => Math.floor(random() * max);

/** A frame to send and what must come back. */
type Probe =
  | { kind: 'request'; text: string; id: number; label: string }
  | { kind: 'unreadable'; data: string | Buffer; binary: boolean; label: string }
  | { kind: 'closes'; data: Buffer; binary: boolean; codes: readonly number[]; label: string };

function randomString(): string {
  const alphabets = ['abc', '회의록', '👩‍💻', '\u202e\u0000\u001f', '../..\\', '"\\'];
  const length = pick([0, 1, 5, 40, 5000]);
  let text = '';
  for (let i = 0; i < length; i++) text += pick([...pick(alphabets)]);
  return text;
}

/** A random JSON value of bounded size: the argument of a call with the wrong (or sometimes right) shape. */
function randomValue(depth = 0): unknown {
  const choice = integer(depth > 3 ? 6 : 9);
  switch (choice) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return pick([0, -1, 1.5, 2 ** 53, -(2 ** 60), 1e308]);
    case 3:
    case 4:
      return randomString();
    case 5:
      return pick(['jfk', 'whisper-base', 'srt', 'ko', '/tmp', '/nonexistent/file.wav']);
    case 6:
      return Array.from({ length: integer(5) }, () => randomValue(depth + 1));
    case 7: {
      const entries = Array.from({ length: integer(5) }, () => [
        pick(['modelId', 'language', 'task', 'exact', 'min', 'max', 'useGpu', '__proto__', 'constructor', randomString()]),
        randomValue(depth + 1),
      ]);
      return Object.fromEntries(entries);
    }
    default:
      return { __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } };
  }
}

let nextId = 1;
const request = (method: unknown, args: unknown, label: string): Probe => {
  const id = nextId++;
  return { kind: 'request', id, text: JSON.stringify({ id, method, args }), label };
};
/** Raw request text (for what JSON.stringify cannot produce: own `__proto__` keys, millions of elements). */
const rawRequest = (body: (id: number) => string, label: string): Probe => {
  const id = nextId++;
  return { kind: 'request', id, text: body(id), label };
};

/** Recorder controls are sent only with arguments they refuse, so the recording under test keeps running. */
const RECORDER_CONTROLS = new Set(['stopRecording', 'pauseRecording', 'resumeRecording']);

function adversarialProbe(): Probe {
  switch (integer(14)) {
    case 0:
      // The original crash: 200 000 arguments spread into a handler.
      return rawRequest(
        (id) => `{"id":${id},"method":"${pick(WIRE_METHODS)}","args":[${new Array(200_000).fill(0).join(',')}]}`,
        'huge argument array',
      );
    case 1: {
      // Up to the bridge's limit (32 levels) a nested argument is read and refused by id; deeper, the message is not read at all.
      const depth = pick([20, 33, 10_000, 1_000_000]);
      const text = `{"id":${nextId},"method":"getMeeting","args":[${'['.repeat(depth)}${']'.repeat(depth)}]}`;
      return depth <= 30
        ? rawRequest(() => text, `nesting ${depth}`)
        : { kind: 'unreadable', data: text, binary: false, label: `nesting ${depth}` };
    }
    case 2:
      return rawRequest(
        (id) =>
          `{"id":${id},"method":"updateSettings","args":[{"__proto__":{"modelId":"x","isAdmin":true},"constructor":{"prototype":{"polluted":true}}}]}`,
        'prototype keys',
      );
    case 3:
      return rawRequest(
        (id) =>
          `{"__proto__":{"id":1},"id":${id},"method":"${pick(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])}","args":[]}`,
        'prototype method',
      );
    case 4:
      return {
        kind: 'unreadable',
        data: pick([
          'null',
          '[]',
          '42',
          '"text"',
          '{}',
          '{"id":"1","method":"engineInfo","args":[]}',
          '{"id":1.5,"method":"engineInfo","args":[]}',
          '{"id":1,"method":7,"args":[]}',
          '{"id":1,"method":"engineInfo","args":{"length":1}}',
          '{"id":1e400,"method":"engineInfo","args":[]}',
          '{not json',
          '',
        ]),
        binary: false,
        label: 'wrong shape',
      };
    case 5:
      return {
        kind: 'unreadable',
        data: Buffer.from(Array.from({ length: integer(2000) + 1 }, () => integer(256))),
        binary: true,
        label: 'binary frame',
      };
    case 6:
      return {
        kind: 'unreadable',
        data: Buffer.from(JSON.stringify({ id: 1, method: 'engineInfo', args: [] })),
        binary: true,
        label: 'binary JSON',
      };
    case 7:
      return {
        kind: 'closes',
        data: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]),
        binary: false,
        codes: [1007],
        label: 'invalid UTF-8',
      };
    case 8:
      // The server answers 1009 as soon as the frame's header declares its size and closes with the rest of
      // it unread, so the kernel may reset the connection before the client reads the close frame (1006).
      return {
        kind: 'closes',
        data: Buffer.alloc(OVERSIZED_BYTES, 0x20),
        binary: pick([true, false]),
        codes: [1009, 1006],
        label: 'oversized frame',
      };
    case 9:
      return request('searchLibrary', ['a\u0000b" OR * NEAR(', 'extra'], 'extra argument');
    case 10:
      return request('searchLibrary', ['x'.repeat(2_000_000)], 'huge string');
    case 11:
      return request('importPaths', [Array.from({ length: 5000 }, () => '/tmp/x.wav'), {}], 'too many paths');
    case 12:
      return request(randomString(), [], 'unknown method');
    default:
      return request('editSegmentText', [randomValue(), randomValue(), randomValue()], 'wrong types');
  }
}

function randomCall(): Probe {
  const method = pick(WIRE_METHODS);
  const args = Array.from({ length: integer(4) }, () => randomValue());
  if (RECORDER_CONTROLS.has(method) && args.length === 0) args.push(randomValue());
  if (method === 'startRecording' || method === 'downloadModel') args.push(...Array.from({ length: 2 }, () => randomValue()));
  return request(method, args, `random ${method}`);
}

/** One socket to the bridge; answers are matched by id, events kept. */
class FuzzClient {
  readonly answers = new Map<number, Result<unknown>>();
  readonly unmatched: Result<unknown>[] = [];
  readonly events: WireEvent[] = [];
  closeCode: number | null = null;
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as BridgeServerMessage;
      if ('event' in message) this.events.push(message.event);
      else if (message.id === null) this.unmatched.push(message.result);
      else this.answers.set(message.id, message.result);
      this.wake();
    });
    socket.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static open(port: number, headers: Record<string, string>): Promise<FuzzClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers, maxPayload: 64 * 1024 * 1024 });
      socket.once('open', () => resolve(new FuzzClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Resolves when `done()` holds, rejects after the timeout. */
  until(done: () => boolean, what: string, timeoutMs = ANSWER_TIMEOUT_MS): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms`)), timeoutMs);
      const check = (): void => {
        if (!done()) return void this.waiters.push(check);
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(check);
    });
  }

  async call<T>(method: string, ...args: unknown[]): Promise<Result<T>> {
    const id = nextId++;
    this.socket.send(JSON.stringify({ id, method, args }));
    await this.until(() => this.answers.has(id), `answer to ${method}`);
    return this.answers.get(id) as Result<T>;
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) waiter();
  }
}

interface Served {
  child: ChildProcessWithoutNullStreams;
  port: number;
  token: string;
  stderr: () => string;
  exit: Promise<number | null>;
}

async function serve(dataDir: string, env: Record<string, string>): Promise<Served> {
  const args = [
    '--import',
    'tsx',
    path.join(REPO_ROOT, 'src-main/bridge/serve-cli.ts'),
    '--data-dir',
    dataDir,
    '--model-dir',
    TINY_MULTILINGUAL,
    '--device',
    'cpu',
    '--no-diarize',
  ];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) resolve(stdout.split('\n')[0] ?? '');
    });
    void exit.then(() => reject(new Error(`serve exited before printing: ${stderr}`)));
  });
  const match = /127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]{64})$/.exec(line);
  if (!match) throw new Error(`unexpected first line: ${line}`);
  return { child, port: Number(match[1]), token: match[2] ?? '', stderr: () => stderr, exit };
}

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let served: Served | null = null;

describe.skipIf(!pulse)('the bridge protocol under fuzzing while recording', () => {
  beforeAll(async () => {
    temp = await makeTempDir('protocol-fuzz');
    await pulse!.pactl('load-module', 'module-sine-source', 'source_name=sine', 'rate=48000', 'frequency=440');
    await pulse!.pactl('set-default-source', 'sine');
    served = await serve(path.join(temp.dir, 'data'), pulse!.env);
  }, 60_000);

  afterAll(async () => {
    if (served && served.child.exitCode === null) {
      served.child.kill('SIGKILL');
      await served.exit;
    }
    await pulse?.stop();
    await temp?.cleanup();
  });

  it('answers every message, stays up, and the recording comes out whole', async () => {
    const bridge = served!;
    const exchange = await http(bridge.port, { path: `/?token=${bridge.token}` });
    const headers = { Cookie: (exchange.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '', Origin: `http://127.0.0.1:${bridge.port}` };
    let client = await FuzzClient.open(bridge.port, headers);
    const controller = client;

    const startedRecording = await controller.call<{ sessionId: string }>('startRecording', {});
    expect(startedRecording, bridge.stderr()).toMatchObject({ ok: true });
    await controller.until(
      () => controller.events.some((event) => event.channel === 'recording' && event.payload.type === 'level'),
      'level event',
      30_000,
    );
    const fuzzStartedAt = Date.now();

    const tally = new Map<string, number>();
    for (let sent = 0; sent < MESSAGES; sent++) {
      const probeMessage = random() < 0.45 ? adversarialProbe() : randomCall();
      tally.set(probeMessage.label.split(' ')[0] ?? '', (tally.get(probeMessage.label.split(' ')[0] ?? '') ?? 0) + 1);
      const context = `message ${sent} (${probeMessage.label}), seed ${seed}`;
      // A closing probe goes on a socket of its own, so the recording's controller keeps its connection.
      const target = probeMessage.kind === 'closes' ? await FuzzClient.open(bridge.port, headers) : client;
      if (probeMessage.kind === 'request') {
        target.socket.send(probeMessage.text);
        await target.until(() => target.answers.has(probeMessage.id), `answer to ${context}`);
        const answer = target.answers.get(probeMessage.id);
        expect(
          answer === undefined || answer.ok || (typeof answer.error.code === 'string' && typeof answer.error.message === 'string'),
          context,
        ).toBe(true);
      } else if (probeMessage.kind === 'unreadable') {
        const before = target.unmatched.length;
        target.socket.send(probeMessage.data, { binary: probeMessage.binary });
        await target.until(() => target.unmatched.length > before, `answer to ${context}`);
        expect(target.unmatched.at(-1), context).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
      } else {
        target.socket.send(probeMessage.data, { binary: probeMessage.binary });
        await target.until(() => target.closeCode !== null, `close after ${context}`);
        expect(probeMessage.codes, context).toContain(target.closeCode);
      }
      expect(bridge.child.exitCode, `${context}: ${bridge.stderr()}`).toBeNull();
      if (client.closeCode !== null) client = await FuzzClient.open(bridge.port, headers);
    }
    console.log(
      `protocol fuzz: ${MESSAGES} messages in ${((Date.now() - fuzzStartedAt) / 1000).toFixed(1)} s: ${JSON.stringify(Object.fromEntries(tally))}`,
    );

    // Still up and answering, and still recording.
    expect((await controller.call('engineInfo')).ok).toBe(true);
    expect((await http(bridge.port, { path: '/', headers: { Cookie: headers.Cookie } })).status).not.toBe(0);
    expect(
      controller.events.filter((event) => event.channel === 'recording' && event.payload.type === 'error' && event.payload.fatal),
    ).toEqual([]);
    const levelsBefore = controller.events.filter((event) => event.channel === 'recording' && event.payload.type === 'level').length;
    await controller.until(
      () => controller.events.filter((event) => event.channel === 'recording' && event.payload.type === 'level').length > levelsBefore + 3,
      'more level events',
    );

    const stopped = await controller.call<RecordingSummary>('stopRecording');
    if (!stopped.ok) throw new Error(`${stopped.error.code}: ${stopped.error.message}`);
    const summary = stopped.value;
    const fuzzSeconds = (Date.now() - fuzzStartedAt) / 1000;
    expect(summary.paths).toHaveLength(1);
    const file = summary.paths[0] as string;
    const sizes = expectConsistentHeader(file);
    const stream = await probe(file);
    const bytesPerSecond = Number(stream.sample_rate) * stream.channels * 2;
    const fileSeconds = sizes.dataBytes / bytesPerSecond;
    expect(fileSeconds).toBeCloseTo(summary.seconds, 1);
    // Nothing was dropped while the bridge was under fire: the file is as long as the recording ran.
    expect(fileSeconds).toBeGreaterThan(fuzzSeconds - 1);
    const samples = await decodeS16([file]);
    expect(samples.length / stream.channels / Number(stream.sample_rate)).toBeCloseTo(fileSeconds, 1);
    let energy = 0;
    for (let i = 0; i < samples.length; i++) energy += ((samples[i] ?? 0) / 32768) ** 2;
    expect(Math.sqrt(energy / samples.length)).toBeGreaterThan(0.05);

    // Stored as a meeting, and the process ends cleanly.
    const meetings = await controller.call<{ recordingPath: string | null }[]>('listMeetings');
    expect(meetings.ok && meetings.value.some((meeting) => meeting.recordingPath === file)).toBe(true);
    controller.socket.close();
    if (client !== controller) client.socket.close();
    bridge.child.kill('SIGTERM');
    expect(await bridge.exit, bridge.stderr()).toBe(0);
  }, 120_000);
});
