/**
 * The page's WebSocket to the bridge (same origin, authorized by the bridge's cookie): requests answered
 * by id, events pushed to listeners, and reconnection with backoff when the socket drops. A request in
 * flight when the socket drops fails (it may or may not have run; sending it again could run it twice);
 * one made while disconnected waits for the next connection, for a while.
 */
import type { BridgeRequest, BridgeServerMessage } from '../../../src-shared/bridge-protocol';
import type { WireEvent } from '../../../src-shared/ipc-contract';
import { fail, type Result } from '../../../src-shared/result';

const FIRST_RETRY_MS = 250;
/** WebSocket.OPEN (the constant, not the global, which Node before 22 lacks). */
const OPEN = 1;
const MAX_RETRY_MS = 5_000;
/** How long a request made while disconnected waits for a connection before failing. */
const WAIT_FOR_CONNECTION_MS = 15_000;

/** The part of the DOM WebSocket this client uses (the `ws` package's socket has it too, for tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close', listener: () => void): void;
  addEventListener(type: 'message', listener: (message: { data: unknown }) => void): void;
}

interface Pending {
  resolve: (result: Result<unknown>) => void;
}

interface Waiting extends Pending {
  request: BridgeRequest;
  timer: ReturnType<typeof setTimeout>;
}

export class BridgeSocket {
  private socket: SocketLike | null = null;
  private nextId = 1;
  private retryMs = FIRST_RETRY_MS;
  private closed = false;
  private readonly pending = new Map<number, Pending>();
  private readonly waiting: Waiting[] = [];
  private readonly eventListeners = new Set<(event: WireEvent) => void>();
  private readonly openListeners = new Set<() => void>();
  private readonly connectionListeners = new Set<(connected: boolean) => void>();
  /** What listeners were last told; the first drop is reported, not every failed reconnection. */
  private reportedConnected: boolean | null = null;

  constructor(
    private readonly url: string,
    private readonly openSocket: (url: string) => SocketLike,
  ) {}

  /** Opens the socket; resolves at the first open, or after `timeoutMs` (requests then wait or fail). */
  start(timeoutMs = 5_000): Promise<void> {
    this.connect();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const unsubscribe = this.onOpen(done);
      function done(): void {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      }
    });
  }

  call(method: string, args: unknown[]): Promise<Result<unknown>> {
    const request: BridgeRequest = { id: this.nextId++, method, args };
    return new Promise((resolve) => {
      if (this.socket?.readyState === OPEN) return this.send(request, resolve);
      const waiting: Waiting = {
        request,
        resolve,
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiting), 1);
          resolve(fail('BRIDGE_DISCONNECTED', 'The connection to Verbatim is lost; is `npm run serve` still running?'));
        }, WAIT_FOR_CONNECTION_MS),
      };
      this.waiting.push(waiting);
    });
  }

  onEvent(listener: (event: WireEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** The socket dropped (false) or is back (true); reported once per change. */
  onConnectionChange(listener: (connected: boolean) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  get connected(): boolean {
    return this.socket?.readyState === OPEN;
  }

  /** Every (re)connection: a listener may refetch what it missed while the socket was down. */
  onOpen(listener: () => void): () => void {
    this.openListeners.add(listener);
    return () => this.openListeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    this.socket?.close();
  }

  private send(request: BridgeRequest, resolve: Pending['resolve']): void {
    this.pending.set(request.id, { resolve });
    this.socket?.send(JSON.stringify(request));
  }

  private connect(): void {
    if (this.closed) return;
    const socket = this.openSocket(this.url);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.retryMs = FIRST_RETRY_MS;
      for (const waiting of this.waiting.splice(0)) {
        clearTimeout(waiting.timer);
        this.send(waiting.request, waiting.resolve);
      }
      for (const listener of this.openListeners) listener();
      this.reportConnection(true);
    });
    socket.addEventListener('message', (message) => this.receive(message.data));
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      for (const [id, pending] of this.pending) {
        this.pending.delete(id);
        pending.resolve(fail('BRIDGE_DISCONNECTED', 'The connection to Verbatim dropped before it answered.'));
      }
      if (this.closed) return;
      this.reportConnection(false);
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
    });
  }

  private reportConnection(connected: boolean): void {
    if (this.reportedConnected === connected || (this.reportedConnected === null && connected)) {
      this.reportedConnected = connected;
      return;
    }
    this.reportedConnected = connected;
    for (const listener of this.connectionListeners) listener(connected);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: BridgeServerMessage;
    try {
      message = JSON.parse(data) as BridgeServerMessage;
    } catch {
      return;
    }
    if ('event' in message) {
      for (const listener of this.eventListeners) listener(message.event);
      return;
    }
    if (message.id === null) return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    pending.resolve(message.result);
  }
}
