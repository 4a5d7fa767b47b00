/**
 * The bridge's WebSocket: each message `{id, method, args}` is answered `{id, result}` by the wire handler
 * of that name; the engine's events are pushed to every open socket as `{event}`.
 */
import type { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { BridgeRequest, BridgeResponse, BridgeServerMessage } from '../../src-shared/bridge-protocol';
import { WIRE_METHODS, type WireHandlers, type WireMethod } from '../../src-shared/ipc-contract';
import { fail, type Result } from '../../src-shared/result';
import type { AppServices } from '../api/types';

/** A request bigger than this is not one the page sends (files go over /upload). */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** Events are skipped for a client this far behind (a stalled tab must not grow the engine's memory). */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

export interface SocketEndpoint {
  /** Completes an upgrade the server has already authorized. */
  accept(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

export function createSocketEndpoint(services: Pick<AppServices, 'handlers' | 'onEvent'>): SocketEndpoint {
  const server = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('connection', (socket) => {
    const unsubscribe = services.onEvent((event) => {
      if (socket.readyState === socket.OPEN && socket.bufferedAmount < MAX_BUFFERED_BYTES) send(socket, { event });
    });
    socket.on('message', (data, isBinary) => void answer(socket, services.handlers, data, isBinary));
    socket.on('close', unsubscribe);
    socket.on('error', () => socket.terminate());
  });

  return {
    accept(request, socket, head) {
      server.handleUpgrade(request, socket, head, (client) => server.emit('connection', client, request));
    },
    close() {
      for (const client of server.clients) client.terminate();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function answer(socket: WebSocket, handlers: WireHandlers, data: RawData, isBinary: boolean): Promise<void> {
  const request = isBinary ? null : readRequest(data);
  if (request === null) {
    send(socket, { id: null, result: fail('IPC_BAD_REQUEST', 'A message is JSON {id, method, args} with a numeric id and an array of arguments.') });
    return;
  }
  const result = await dispatch(handlers, request);
  if (socket.readyState === socket.OPEN) send(socket, { id: request.id, result } satisfies BridgeResponse);
}

export async function dispatch(handlers: WireHandlers, request: BridgeRequest): Promise<Result<unknown>> {
  const method = WIRE_METHODS.find((known): known is WireMethod => known === request.method);
  if (method === undefined) return fail('IPC_UNKNOWN_METHOD', `There is no method "${request.method}".`, request.method);
  return handlers[method](...request.args);
}

function readRequest(data: RawData): BridgeRequest | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawText(data));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { id, method, args } = parsed as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || typeof method !== 'string' || !Array.isArray(args)) return null;
  return { id, method, args };
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

function send(socket: WebSocket, message: BridgeServerMessage): void {
  socket.send(JSON.stringify(message));
}
