/**
 * Decisions about trust, kept free of Electron so they can be tested: which IPC sender is the app's page,
 * which permission requests are granted (microphone audio for the app's page, nothing else), and the guards
 * every web contents gets (no navigation, no new windows, no <webview>).
 */
import { isAppUrl, type AppPage } from './app-page';

export interface IpcSenderLike {
  readonly sender: unknown;
  readonly senderFrame: { readonly url: string } | null;
}

export interface MainWindowLike {
  readonly webContents: { readonly mainFrame: unknown };
}

/** The sender is the main window's own main frame, and that frame shows the app's page (not a page it navigated to). */
export function isTrustedSender(event: IpcSenderLike, mainWindow: MainWindowLike | null, page: AppPage): boolean {
  if (mainWindow === null || event.senderFrame === null) return false;
  return (
    event.sender === mainWindow.webContents &&
    event.senderFrame === mainWindow.webContents.mainFrame &&
    isAppUrl(event.senderFrame.url, page)
  );
}

export interface PermissionQuery {
  permission: string;
  /** The requesting frame's URL (or, for a check without one, its origin). */
  requestingUrl: string;
  isMainFrame: boolean;
  /** For 'media': what is asked for ('audio', 'video'; 'unknown' in some checks). */
  mediaTypes: readonly string[];
}

/** Only the microphone, only for the app's own main frame. Camera, screen, notifications, geolocation, openExternal… are refused. */
export function isPermissionAllowed(query: PermissionQuery, page: AppPage): boolean {
  return (
    query.permission === 'media' &&
    query.mediaTypes.length > 0 &&
    query.mediaTypes.every((type) => type === 'audio') &&
    query.isMainFrame &&
    isAppUrl(query.requestingUrl, page)
  );
}

/** session.setPermissionRequestHandler's details, as a query. */
export function permissionRequestQuery(
  permission: string,
  details: { readonly requestingUrl: string; readonly isMainFrame: boolean; readonly mediaTypes?: readonly string[] },
): PermissionQuery {
  return { permission, requestingUrl: details.requestingUrl, isMainFrame: details.isMainFrame, mediaTypes: details.mediaTypes ?? [] };
}

/** session.setPermissionCheckHandler's arguments, as a query. */
export function permissionCheckQuery(
  permission: string,
  requestingOrigin: string,
  details: { readonly requestingUrl?: string; readonly isMainFrame: boolean; readonly mediaType?: string },
): PermissionQuery {
  return {
    permission,
    requestingUrl: details.requestingUrl ?? requestingOrigin,
    isMainFrame: details.isMainFrame,
    mediaTypes: details.mediaType === undefined ? [] : [details.mediaType],
  };
}

interface PreventableEvent {
  preventDefault(): void;
}

export interface GuardableContents {
  on(event: 'will-navigate' | 'will-frame-navigate' | 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: () => { action: 'deny' }): void;
}

export interface ContentsCreatedSource {
  on(event: 'web-contents-created', listener: (event: unknown, contents: GuardableContents) => void): unknown;
}

/**
 * The page is one document: it never navigates away (a link or a dropped file would replace the app with
 * content that could still reach the preload), never opens windows and never embeds a <webview>.
 */
export function guardWebContents(contents: GuardableContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  // Any frame, not only the main one: a subframe the page somehow gets must not navigate either.
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Guards every web contents the app creates, the main window's and any other. */
export function guardAllWebContents(app: ContentsCreatedSource): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
}
