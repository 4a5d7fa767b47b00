/**
 * The bridge's WebSocket: each message `{id, method, args}` is answered `{id, result}` by the wire handler
 * of that name; the engine's events are pushed to every open socket as `{event}`.
 */
import type { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { errorMessage } from '../../src-shared/errors';
import type { BridgeRequest, BridgeResponse, BridgeServerMessage } from '../../src-shared/bridge-protocol';
import type { WireHandlers } from '../../src-shared/ipc-contract';
import { checkWireCall } from '../../src-shared/ipc-validation';
import { fail, type Result } from '../../src-shared/result';
import type { AppServices } from '../api/types';

/** A request bigger than this is not one the page sends (files go over /upload). */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** No request the page sends nests deeper than a few levels; parsing millions of levels would stall the engine. */
const MAX_JSON_DEPTH = 32;
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
    socket.on('message', (data, isBinary) => {
      answer(socket, services.handlers, data, isBinary).catch((error: unknown) => answerFailure(socket, error));
    });
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
    send(socket, {
      id: null,
      result: fail('IPC_BAD_REQUEST', 'A message is JSON {id, method, args} with a numeric id and an array of arguments.'),
    });
    return;
  }
  let result: Result<unknown>;
  try {
    result = await dispatch(handlers, request);
  } catch (error) {
    // The handlers answer errors as values; this is a defect, and the page still gets an answer.
    result = fail('HANDLER_FAILED', `${request.method.slice(0, 100)} failed unexpectedly: ${errorMessage(error)}`);
  }
  if (socket.readyState === socket.OPEN) send(socket, { id: request.id, result } satisfies BridgeResponse);
}

/** The last resort of a message: whatever went wrong answering it, the socket hears a coded error, the process goes on. */
function answerFailure(socket: WebSocket, error: unknown): void {
  try {
    if (socket.readyState === socket.OPEN)
      send(socket, { id: null, result: fail('BRIDGE_FAILED', `The request could not be answered: ${errorMessage(error)}`) });
  } catch {
    socket.terminate();
  }
}

/** Method and arity are checked before the arguments are spread into the handler. */
export async function dispatch(handlers: WireHandlers, request: BridgeRequest): Promise<Result<unknown>> {
  const call = checkWireCall(request.method, request.args);
  if (!call.ok) return call;
  return handlers[call.value.method](...call.value.args);
}

function readRequest(data: RawData): BridgeRequest | null {
  let parsed: unknown;
  try {
    const text = rawText(data);
    if (!nestingWithin(text, MAX_JSON_DEPTH)) return null;
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { id, method, args } = parsed as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || typeof method !== 'string' || !Array.isArray(args)) return null;
  return { id, method, args };
}

/** Whether no array or object in the JSON text nests deeper than `limit` (brackets inside strings do not count). */
export function nestingWithin(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c)
        index++; // a backslash escapes the next character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      if (++depth > limit) return false;
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return true;
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

function send(socket: WebSocket, message: BridgeServerMessage): void {
  socket.send(JSON.stringify(message));
}
