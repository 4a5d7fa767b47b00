/**
 * Who may talk to the bridge: a request for this bridge's own host (DNS-rebinding guard) carrying the
 * run's token, as the cookie set by `/?token=` or as a bearer header. WebSocket upgrades must also come
 * from the bridge's own origin (a page elsewhere cannot open one with the user's cookie).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface BridgeIdentity {
  port: number;
  token: string;
}

export function newBridgeToken(): string {
  return randomBytes(32).toString('hex');
}

/** Cookies are shared across ports of a host: the name carries the port so two bridges never collide. */
export function cookieName(identity: BridgeIdentity): string {
  return `verbatim_${identity.port}`;
}

/** The names the bridge answers to: the loopback address it listens on, and the name browsers resolve to it. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost'] as const;

/** A page may be opened under either loopback name: Host and Origin accept the same two, on this port only. */
export function ownOrigins(identity: BridgeIdentity): string[] {
  return LOOPBACK_NAMES.map((name) => `http://${name}:${identity.port}`);
}

export function sessionCookie(identity: BridgeIdentity): string {
  return `${cookieName(identity)}=${identity.token}; Path=/; HttpOnly; SameSite=Strict`;
}

export function tokenMatches(identity: BridgeIdentity, candidate: string | null | undefined): boolean {
  if (typeof candidate !== 'string') return false;
  const expected = Buffer.from(identity.token);
  const given = Buffer.from(candidate);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function hostAllowed(identity: BridgeIdentity, request: IncomingMessage): boolean {
  const host = request.headers.host;
  return LOOPBACK_NAMES.some((name) => host === `${name}:${identity.port}`);
}

export function isAuthorized(identity: BridgeIdentity, request: IncomingMessage): boolean {
  const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '');
  if (bearer && tokenMatches(identity, bearer[1])) return true;
  return tokenMatches(identity, readCookie(request, cookieName(identity)));
}

/** A browser names the page's origin on cross-origin requests and on every WebSocket handshake. */
export function originAllowed(identity: BridgeIdentity, request: IncomingMessage, required: boolean): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return !required;
  return ownOrigins(identity).includes(origin);
}

function readCookie(request: IncomingMessage, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return null;
}
