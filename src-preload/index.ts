/**
 * The preload: exposes exactly `VerbatimApi` as `window.verbatim`, never ipcRenderer itself.
 * Runs sandboxed, so it is bundled to one CommonJS file (electron.vite.config.ts).
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { VerbatimApi } from '../src-shared/ipc-contract';
import { createPreloadApi } from './preload-api';

const api = createPreloadApi(ipcRenderer, { pathForFile: (file) => webUtils.getPathForFile(file) }) satisfies VerbatimApi;

contextBridge.exposeInMainWorld('verbatim', api);
