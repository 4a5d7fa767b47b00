/**
 * The browser bridge: the built renderer, the upload and media routes and the WebSocket to the engine,
 * on 127.0.0.1 only. A per-run token (in the printed URL) is exchanged for a cookie; every request must
 * carry it and name this bridge's own host, so neither other sites nor DNS rebinding can reach the engine.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '../../src-shared/errors';
import { BRIDGE_ROUTES } from '../../src-shared/bridge-protocol';
import type { AppServices } from '../api/types';
import { hostAllowed, isAuthorized, newBridgeToken, originAllowed, sessionCookie, tokenMatches, type BridgeIdentity } from './bridge-auth';
import { securityHeaders, sendError, sendText } from './http-responses';
import { serveMedia } from './media-route';
import { createSocketEndpoint } from './socket-endpoint';
import { serveStatic } from './static-files';
import { DEFAULT_MAX_PENDING_UPLOAD_BYTES, DEFAULT_MAX_UPLOAD_BYTES, handleUpload } from './upload-route';

export const DEFAULT_RENDERER_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../out/renderer');

export interface BridgeOptions {
  services: Pick<AppServices, 'handlers' | 'onEvent' | 'mediaPath' | 'uploadsDir'>;
  /** 0 (default): a free port chosen by the system. */
  port?: number;
  /** The built renderer; default `out/renderer` of this checkout. */
  rendererDir?: string;
  maxUploadBytes?: number;
  /** What pending uploads may hold together (default DEFAULT_MAX_PENDING_UPLOAD_BYTES). */
  maxPendingUploadBytes?: number;
  /** A previous run's token (with its `port`): pages still open on that run reconnect to this one. */
  token?: string;
}

export interface RunningBridge {
  /** Open this in a browser: it carries the token once, then the cookie does. */
  url: string;
  port: number;
  token: string;
  /** Stops listening and drops every connection (the services stay up: their owner disposes them). */
  close(): Promise<void>;
}

export async function startBridge(options: BridgeOptions): Promise<RunningBridge> {
  const server = createServer();
  const port = await listen(server, options.port ?? 0);
  const identity: BridgeIdentity = { port, token: options.token ?? newBridgeToken() };
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  const sockets = createSocketEndpoint(options.services);

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    for (const [name, value] of Object.entries(securityHeaders(port))) response.setHeader(name, value);
    route(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, 500, { code: 'BRIDGE_FAILED', message: errorMessage(error) });
      else response.destroy();
    });
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const allowed =
      pathOf(request) === BRIDGE_ROUTES.socket &&
      hostAllowed(identity, request) &&
      isAuthorized(identity, request) &&
      originAllowed(identity, request, true);
    if (!allowed) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.accept(request, socket, head);
  });

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!hostAllowed(identity, request)) return sendText(response, 403, 'Forbidden.');
    // A target that is not a URL path is the client's mistake, answered before anything else looks at it.
    const url = parseTarget(request.url);
    if (url === null) return sendError(response, 400, { code: 'BRIDGE_BAD_TARGET', message: 'The request target is not a valid path.' });
    const method = request.method ?? 'GET';
    const token = url.searchParams.get('token');
    if (url.pathname === '/' && token !== null && method === 'GET') {
      if (!tokenMatches(identity, token)) return sendText(response, 403, 'Forbidden.');
      response.writeHead(302, { 'Set-Cookie': sessionCookie(identity), Location: '/', 'Cache-Control': 'no-store' });
      return void response.end();
    }
    // A browser names the origin of cross-site writes; only this bridge's own page may make them.
    if (!isAuthorized(identity, request) || !originAllowed(identity, request, false)) return sendText(response, 403, 'Forbidden.');

    if (url.pathname === BRIDGE_ROUTES.upload) {
      if (method !== 'POST') return methodNotAllowed(response, 'POST');
      return handleUpload(request, response, {
        uploadsDir: options.services.uploadsDir,
        maxBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
        maxPendingBytes: options.maxPendingUploadBytes ?? DEFAULT_MAX_PENDING_UPLOAD_BYTES,
        name: url.searchParams.get('name'),
      });
    }
    if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(response, 'GET, HEAD');
    if (url.pathname.startsWith(BRIDGE_ROUTES.media)) {
      const meetingId = safeDecode(url.pathname.slice(BRIDGE_ROUTES.media.length));
      if (meetingId === null || meetingId.length === 0) return sendText(response, 404, 'Not found.');
      return serveMedia((id) => options.services.mediaPath(id), meetingId, request, response);
    }
    return serveStatic(rendererDir, url.pathname, request, response);
  }

  return {
    url: `http://127.0.0.1:${port}/?token=${identity.token}`,
    port,
    token: identity.token,
    async close() {
      await sockets.close();
      await new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      });
    },
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    // Loopback only: the bridge is for this machine's browser, never the network.
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen((server.address() as AddressInfo).port);
    });
  });
}

function parseTarget(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', 'http://127.0.0.1');
  } catch {
    return null;
  }
}

function pathOf(request: IncomingMessage): string {
  return parseTarget(request.url)?.pathname ?? '';
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function methodNotAllowed(response: ServerResponse, allow: string): void {
  response.setHeader('Allow', allow);
  sendText(response, 405, 'Method not allowed.');
}
