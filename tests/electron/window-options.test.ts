import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from '../../src-main/electron/window-options';

describe('main window options', () => {
  it('isolates and sandboxes the page, with no Node and no way to relax web security', () => {
    const { webPreferences } = mainWindowOptions('/app/out/preload/index.cjs');
    expect(webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      experimentalFeatures: false,
      safeDialogs: true,
    });
  });

  it('uses the preload path it is given', () => {
    expect(mainWindowOptions('/elsewhere/preload.cjs').webPreferences?.preload).toBe('/elsewhere/preload.cjs');
  });
});
