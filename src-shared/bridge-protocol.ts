/**
 * The browser bridge's wire: WebSocket messages between the page's bridge client and `npm run serve`,
 * and the HTTP routes beside it. Requests carry a wire method and its JSON arguments; every request is
 * answered with its id and a Result; events are pushed unasked.
 */
import type { WireEvent } from './ipc-contract';
import type { CodedError, Result } from './result';

export const BRIDGE_ROUTES = {
  socket: '/ws',
  /** POST the file's bytes as the body; `?name=` carries the file's name. */
  upload: '/upload',
  /** GET, with Range support. */
  media: '/media/',
} as const;

export interface BridgeRequest {
  id: number;
  method: string;
  args: unknown[];
}

/** `id` is null when the message could not be read far enough to find its id. */
export interface BridgeResponse {
  id: number | null;
  result: Result<unknown>;
}

export interface BridgeEventMessage {
  event: WireEvent;
}

export type BridgeServerMessage = BridgeResponse | BridgeEventMessage;

/** The answer to an upload: where the engine stored the file, or why it did not. */
export type BridgeUploadAnswer = { path: string } | { error: CodedError };
