/**
 * The main window's options. The page is treated as untrusted web content: no Node, isolated and sandboxed,
 * reaching the engine only through the preload's `window.verbatim`.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: 'Verbatim',
    // Shown on ready-to-show, so the window never flashes an empty frame.
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // Transcripts are in any language; a red underline under every foreign word helps nobody.
      spellcheck: false,
      // Files are dropped on the window to import them; the page handles the drop, the window never opens the file.
      navigateOnDragDrop: false,
      experimentalFeatures: false,
      safeDialogs: true,
    },
  };
}
