/**
 * verbatim-media://meeting/<id>: how the page's <audio> plays a meeting's file without reading the disk
 * itself. The scheme must be declared privileged before the app is ready; the handler is installed after.
 */
import { protocol } from 'electron';
import type { AppServices } from '../api/types';
import { MEDIA_SCHEME, serveMediaRequest } from './media-response';

/** Before app ready: standard + secure (a real origin, allowed by the CSP), streamed, reachable with fetch. */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
  ]);
}

export function handleMediaProtocol(services: Pick<AppServices, 'mediaPath'>): void {
  protocol.handle(MEDIA_SCHEME, (request) => serveMediaRequest(request, (meetingId) => services.mediaPath(meetingId)));
}
