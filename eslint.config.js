import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const electronImport = {
  paths: [{ name: 'electron', message: 'The engine is plain Node: only src-main/electron/ and src-preload/ may import electron.' }],
  patterns: [{ group: ['electron/*'], message: 'The engine is plain Node: only src-main/electron/ and src-preload/ may import electron.' }],
};

/**
 * The layer order, lowest first. A folder imports from folders in lower layers and from itself, never from
 * its own layer or above, so no two folders can import each other. No exceptions are needed today.
 *   src-shared   the contract the engine, the preload and the page share (Result, IPC, transcript types)
 *   util         small helpers with no engine knowledge
 *   leaf stages  onnx (where a session runs), audio (decoding), library (SQLite store), models (catalog,
 *                downloads, model folders)
 *   vad          Silero voice activity, over audio
 *   asr, diarization   Whisper; who spoke when (uses vad, onnx, models)
 *   pipeline, export   file transcription over asr/vad/audio; the export formats (rttm from diarization)
 *   jobs, record       the durable queue and its handlers; live capture and recording
 *   api          the wire handlers, settings, model lists and downloads, over the engine's ports
 *   app          composition: the only folder that chooses adapters, one root per process or thread
 *   cli          the command line, started from app's roots
 *   bridge, electron   hosts: the browser bridge (reuses the CLI's flags) and the Electron main process
 * src-preload and src-renderer sit beside this stack and import only src-shared.
 */
export const LAYERS = [
  ['src-shared'],
  ['src-main/util'],
  ['src-main/onnx', 'src-main/audio', 'src-main/library', 'src-main/models'],
  ['src-main/vad'],
  ['src-main/asr', 'src-main/diarization'],
  ['src-main/pipeline', 'src-main/export'],
  ['src-main/jobs', 'src-main/record'],
  ['src-main/api'],
  ['src-main/app'],
  ['src-main/cli'],
  ['src-main/bridge', 'src-main/electron'],
];

/** The real adapters: chosen in src-main/app/ only (tests pass doubles or use them directly). */
const ADAPTER_MODULES = [
  'src-main/audio/decoder.ts',
  'src-main/asr/whisper-recognizer.ts',
  'src-main/library/sqlite-library-store.ts',
  'src-main/jobs/sqlite-job-store.ts',
  'src-main/jobs/transcriber-process/child-transcriber.ts',
  'src-main/record/capture/system-capture-backend.ts',
  'src-main/record/live-asr-process/child-transcription.ts',
];

const PAGE_AND_PRELOAD = ['src-preload', 'src-renderer'];
const layerZones = LAYERS.flatMap((layer, index) => {
  const notBelow = LAYERS.slice(index).flat();
  return layer.map((folder) => ({
    target: `./${folder}`,
    from: [...notBelow.filter((other) => other !== folder), ...PAGE_AND_PRELOAD].map((other) => `./${other}`),
    message: `Layer order (eslint.config.js LAYERS): ${folder} imports only from the layers below it.`,
  }));
});
const pageZones = PAGE_AND_PRELOAD.map((folder) => ({
  target: `./${folder}`,
  from: ['./src-main', ...PAGE_AND_PRELOAD.filter((other) => other !== folder).map((other) => `./${other}`)],
  message: `${folder} runs apart from the engine: it imports only src-shared.`,
}));
const adapterZone = {
  target: './src-main',
  from: ADAPTER_MODULES.map((file) => `./${file}`),
  message: 'Real adapters are chosen in src-main/app/ only: take the port (an interface) as a parameter instead.',
};
// The adapter zone covers all of src-main; app/ gets the same zones without it (its own config below).
const restrictedPaths = (zones) => ['error', { basePath: import.meta.dirname, zones }];

/** The engine, the preload and the shared contract are linted with type information. */
const TYPED = ['src-main/**/*.ts', 'src-preload/**/*.ts', 'src-shared/**/*.ts'];
const ARCHITECTURE = ['src-main/**/*.ts', 'src-preload/**/*.ts', 'src-shared/**/*.ts', 'src-renderer/**/*.ts', 'src-renderer/**/*.tsx'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'tests/artifacts/**', '.cache/**', 'bin/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', electronImport],
    },
  },
  {
    files: ['src-main/electron/**', 'src-preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Layers and import cycles, on resolved paths (any spelling of a path, type-only imports included).
    files: ARCHITECTURE,
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })],
      // no-cycle follows imports through files with these extensions, parsed by the TypeScript parser.
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    rules: {
      'import-x/no-restricted-paths': restrictedPaths([...layerZones, ...pageZones, adapterZone]),
      'import-x/no-cycle': 'error',
    },
  },
  {
    files: ['src-main/app/**'],
    rules: { 'import-x/no-restricted-paths': restrictedPaths([...layerZones, ...pageZones]) },
  },
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: TYPED })),
  {
    files: TYPED,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A promise that rejects with nobody listening ends the process (the bridge crash of issue 12 was a
      // `void`ed one): a promise is awaited, returned, or given a rejection handler; `void` alone is not enough.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false }],
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
);
