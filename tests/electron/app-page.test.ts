import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAppUrl, resolveAppPage } from '../../src-main/electron/app-page';

const INDEX = '/opt/Verbatim/resources/app.asar/out/renderer/index.html';
const INDEX_URL = pathToFileURL(INDEX).href;

describe('the app page', () => {
  it('is the built index.html when packaged, whatever the environment says', () => {
    expect(resolveAppPage({ isPackaged: true, devServerUrl: 'http://localhost:5173/', rendererIndexPath: INDEX })).toEqual({
      kind: 'file',
      url: INDEX_URL,
    });
  });

  it('is the dev server in development', () => {
    expect(resolveAppPage({ isPackaged: false, devServerUrl: 'http://localhost:5173/', rendererIndexPath: INDEX })).toEqual({
      kind: 'dev-server',
      url: 'http://localhost:5173/',
      origin: 'http://localhost:5173',
    });
  });

  it('refuses a dev server URL that is not on this machine', () => {
    for (const devServerUrl of ['https://example.com/', 'http://192.168.1.5:5173/', 'file:///tmp/x.html', 'not a url']) {
      expect(resolveAppPage({ isPackaged: false, devServerUrl, rendererIndexPath: INDEX }).kind, devServerUrl).toBe('file');
    }
  });

  it('recognises only its own index.html among file:// URLs', () => {
    const page = resolveAppPage({ isPackaged: true, devServerUrl: undefined, rendererIndexPath: INDEX });
    expect(isAppUrl(INDEX_URL, page)).toBe(true);
    expect(isAppUrl(`${INDEX_URL}#/meetings/1`, page)).toBe(true);
    expect(isAppUrl(pathToFileURL('/home/me/Downloads/evil.html').href, page)).toBe(false);
    expect(isAppUrl('https://example.com/', page)).toBe(false);
    expect(isAppUrl('', page)).toBe(false);
  });

  it('recognises the dev server by origin', () => {
    const page = resolveAppPage({ isPackaged: false, devServerUrl: 'http://localhost:5173/', rendererIndexPath: INDEX });
    expect(isAppUrl('http://localhost:5173/src/main.tsx', page)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', page)).toBe(false);
    expect(isAppUrl(INDEX_URL, page)).toBe(false);
  });
});
