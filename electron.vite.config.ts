import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src-main/electron/main.ts'),
          // The headless CLI is built from the same engine, without Electron.
          cli: resolve(__dirname, 'src-main/cli/main.ts'),
          // Live transcription runs in a child process (onnxruntime-node blocks the thread it runs on).
          'live-asr-child': resolve(__dirname, 'src-main/app/live-asr-child.ts'),
          // Diarization embeds speakers in a worker thread while the next windows are segmented.
          'embedding-worker': resolve(__dirname, 'src-main/diarization/embedding-worker/embedding-worker.ts'),
          // File transcription (import jobs) runs in a child process, off the main event loop.
          'transcriber-child': resolve(__dirname, 'src-main/app/transcriber-child.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-preload/index.ts') },
        // A sandboxed preload cannot be an ES module.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
  },
});
