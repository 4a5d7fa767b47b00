import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveAppPage } from '../../src-main/electron/app-page';
import {
  guardAllWebContents,
  isPermissionAllowed,
  isTrustedSender,
  permissionCheckQuery,
  permissionRequestQuery,
  type GuardableContents,
  type PermissionQuery,
} from '../../src-main/electron/security';

const INDEX = '/opt/Verbatim/resources/app.asar/out/renderer/index.html';
const APP_URL = pathToFileURL(INDEX).href;
const page = resolveAppPage({ isPackaged: true, devServerUrl: undefined, rendererIndexPath: INDEX });

function fakeWindow(url = APP_URL) {
  const mainFrame = { url };
  return { webContents: { mainFrame } };
}

describe('isTrustedSender', () => {
  it('accepts the main frame of the main window showing the app page', () => {
    const window = fakeWindow();
    expect(isTrustedSender({ sender: window.webContents, senderFrame: window.webContents.mainFrame }, window, page)).toBe(true);
  });

  it('refuses another web contents, even one showing the app page', () => {
    const window = fakeWindow();
    const other = fakeWindow();
    expect(isTrustedSender({ sender: other.webContents, senderFrame: other.webContents.mainFrame }, window, page)).toBe(false);
  });

  it('refuses a subframe of the main window', () => {
    const window = fakeWindow();
    const subframe = { url: APP_URL };
    expect(isTrustedSender({ sender: window.webContents, senderFrame: subframe }, window, page)).toBe(false);
  });

  it('refuses the main frame once it shows a foreign URL', () => {
    for (const url of ['https://example.com/', pathToFileURL('/tmp/dropped.html').href]) {
      const window = fakeWindow(url);
      expect(isTrustedSender({ sender: window.webContents, senderFrame: window.webContents.mainFrame }, window, page), url).toBe(false);
    }
  });

  it('refuses everything when there is no window or the frame is gone', () => {
    const window = fakeWindow();
    expect(isTrustedSender({ sender: window.webContents, senderFrame: window.webContents.mainFrame }, null, page)).toBe(false);
    expect(isTrustedSender({ sender: window.webContents, senderFrame: null }, window, page)).toBe(false);
  });
});

describe('permission decisions', () => {
  const query = (overrides: Partial<PermissionQuery>): PermissionQuery => ({
    permission: 'media',
    requestingUrl: APP_URL,
    isMainFrame: true,
    mediaTypes: ['audio'],
    ...overrides,
  });

  it('allows the microphone to the app page', () => {
    expect(isPermissionAllowed(query({}), page)).toBe(true);
  });

  it('refuses the camera, alone or with the microphone, and media requests that name nothing', () => {
    expect(isPermissionAllowed(query({ mediaTypes: ['video'] }), page)).toBe(false);
    expect(isPermissionAllowed(query({ mediaTypes: ['audio', 'video'] }), page)).toBe(false);
    expect(isPermissionAllowed(query({ mediaTypes: [] }), page)).toBe(false);
    expect(isPermissionAllowed(query({ mediaTypes: ['unknown'] }), page)).toBe(false);
  });

  it('refuses every other permission, even to the app page', () => {
    for (const permission of ['geolocation', 'notifications', 'openExternal', 'display-capture', 'clipboard-read', 'midi', 'fullscreen']) {
      expect(isPermissionAllowed(query({ permission }), page), permission).toBe(false);
    }
  });

  it('refuses the microphone to a foreign origin or a subframe', () => {
    expect(isPermissionAllowed(query({ requestingUrl: 'https://example.com/' }), page)).toBe(false);
    expect(isPermissionAllowed(query({ requestingUrl: pathToFileURL('/tmp/other.html').href }), page)).toBe(false);
    expect(isPermissionAllowed(query({ isMainFrame: false }), page)).toBe(false);
  });

  it('reads Electron request details: mediaTypes decide', () => {
    expect(
      isPermissionAllowed(permissionRequestQuery('media', { requestingUrl: APP_URL, isMainFrame: true, mediaTypes: ['audio'] }), page),
    ).toBe(true);
    expect(
      isPermissionAllowed(permissionRequestQuery('media', { requestingUrl: APP_URL, isMainFrame: true, mediaTypes: ['video'] }), page),
    ).toBe(false);
    expect(isPermissionAllowed(permissionRequestQuery('media', { requestingUrl: APP_URL, isMainFrame: true }), page)).toBe(false);
  });

  it('reads Electron check details: the frame URL when given, else the origin', () => {
    expect(
      isPermissionAllowed(
        permissionCheckQuery('media', 'file:///', { requestingUrl: APP_URL, isMainFrame: true, mediaType: 'audio' }),
        page,
      ),
    ).toBe(true);
    expect(
      isPermissionAllowed(
        permissionCheckQuery('media', 'file:///', { requestingUrl: APP_URL, isMainFrame: true, mediaType: 'video' }),
        page,
      ),
    ).toBe(false);
    expect(isPermissionAllowed(permissionCheckQuery('media', 'https://example.com', { isMainFrame: true, mediaType: 'audio' }), page)).toBe(
      false,
    );
    const dev = resolveAppPage({ isPackaged: false, devServerUrl: 'http://localhost:5173/', rendererIndexPath: INDEX });
    expect(
      isPermissionAllowed(permissionCheckQuery('media', 'http://localhost:5173', { isMainFrame: true, mediaType: 'audio' }), dev),
    ).toBe(true);
  });
});

describe('web contents guards', () => {
  function fakeContents() {
    const listeners = new Map<string, (event: { preventDefault(): void }) => void>();
    let openHandler: (() => { action: 'deny' }) | null = null;
    const contents: GuardableContents = {
      on: (event, listener) => listeners.set(event, listener),
      setWindowOpenHandler: (handler) => {
        openHandler = handler;
      },
    };
    const fire = (event: string): boolean => {
      let prevented = false;
      listeners.get(event)?.({ preventDefault: () => (prevented = true) });
      return prevented;
    };
    return { contents, fire, openWindow: () => openHandler?.() ?? null };
  }

  it('guards every web contents the app creates: no navigation, no webview, no new window', () => {
    const registered: Array<[string, (event: unknown, contents: GuardableContents) => void]> = [];
    guardAllWebContents({ on: (event, listener) => registered.push([event, listener]) });
    expect(registered.map(([event]) => event)).toEqual(['web-contents-created']);
    const fake = fakeContents();
    registered[0]?.[1]({}, fake.contents);
    expect(fake.fire('will-navigate')).toBe(true);
    expect(fake.fire('will-frame-navigate')).toBe(true);
    expect(fake.fire('will-attach-webview')).toBe(true);
    expect(fake.openWindow()).toEqual({ action: 'deny' });
  });
});
