/** Talking to a running bridge as a browser would: raw HTTP (to set Host and Origin freely) and a WebSocket RPC client. */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import WebSocket from 'ws';
import type { BridgeServerMessage } from '../../src-shared/bridge-protocol';
import type { WireEvent } from '../../src-shared/ipc-contract';
import type { Result } from '../../src-shared/result';
import { createAppServices } from '../../src-main/app/services';
import type { AppServices, AppServicesOptions } from '../../src-main/api/types';
import type { RunningBridge } from '../../src-main/bridge/bridge-server';
import { TINY_MULTILINGUAL } from '../support/paths';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpCall {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Connect to this address instead of 127.0.0.1. */
  host?: string;
}

export function http(port: number, call: HttpCall): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: call.host ?? '127.0.0.1', port, method: call.method ?? 'GET', path: call.path, headers: call.headers ?? {} },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(call.body);
  });
}

/** The generated tiny Whisper as the local model, on CPU. */
export async function openTestServices(dataDir: string, options: Partial<AppServicesOptions> = {}): Promise<AppServices> {
  // sharedModelDirs: [] keeps the user's own models folder (the CLI's) out of the tests.
  const opened = await createAppServices({ dataDir, localModelDir: TINY_MULTILINGUAL, device: 'cpu', sharedModelDirs: [], ...options });
  if (!opened.ok) throw new Error(`${opened.error.code}: ${opened.error.message}`);
  return opened.value;
}

/** Exchanges the URL's token for the session cookie, as a browser opening the printed URL does. */
export async function sessionCookie(bridge: RunningBridge): Promise<string> {
  const answer = await http(bridge.port, { path: `/?token=${bridge.token}` });
  const setCookie = answer.headers['set-cookie']?.[0];
  if (answer.status !== 302 || !setCookie) throw new Error(`token exchange answered ${answer.status}`);
  return setCookie.split(';')[0] ?? '';
}

/** Resolves with the HTTP status of a refused upgrade, or 101 when the socket opened. */
export function upgradeStatus(port: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers });
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('error', () => resolve(-1));
  });
}

/** A WebSocket client speaking the bridge's protocol. */
export class RpcClient {
  readonly events: WireEvent[] = [];
  readonly unmatched: BridgeServerMessage[] = [];
  private nextId = 1;
  private readonly pending = new Map<number, (result: Result<unknown>) => void>();
  private readonly eventListeners = new Set<(event: WireEvent) => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as BridgeServerMessage;
      if ('event' in message) {
        this.events.push(message.event);
        for (const listener of this.eventListeners) listener(message.event);
        return;
      }
      const resolve = message.id === null ? undefined : this.pending.get(message.id);
      if (!resolve || message.id === null) return void this.unmatched.push(message);
      this.pending.delete(message.id);
      resolve(message.result);
    });
  }

  static open(port: number, headers: Record<string, string>): Promise<RpcClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers });
      socket.once('open', () => resolve(new RpcClient(socket)));
      socket.once('error', reject);
    });
  }

  call<T>(method: string, ...args: unknown[]): Promise<Result<T>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (result: Result<unknown>) => void);
      this.socket.send(JSON.stringify({ id, method, args }));
    });
  }

  /** Calls that must succeed (throws with the coded error otherwise). */
  async value<T>(method: string, ...args: unknown[]): Promise<T> {
    const result = await this.call<T>(method, ...args);
    if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
    return result.value;
  }

  sendRaw(text: string): void {
    this.socket.send(text);
  }

  /** The first event (already received or still to come) that matches, within `timeoutMs`. */
  waitForEvent(matches: (event: WireEvent) => boolean, timeoutMs: number): Promise<WireEvent> {
    const seen = this.events.find(matches);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.eventListeners.delete(listener);
        reject(new Error(`no matching event within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (event: WireEvent): void => {
        if (!matches(event)) return;
        clearTimeout(timer);
        this.eventListeners.delete(listener);
        resolve(event);
      };
      this.eventListeners.add(listener);
    });
  }

  close(): void {
    this.socket.close();
  }
}
