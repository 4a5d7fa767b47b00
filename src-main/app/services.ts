/**
 * The app's engine side, built once per start: settings, the engine (recorder, live models), the workspace
 * (library and job queue) with recordings landing in it, model downloads, and one event stream for clients.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { errorMessage } from '../../src-shared/errors';
import type { WireEvent } from '../../src-shared/ipc-contract';
import { consoleLogger } from '../../src-shared/logger';
import { fail, ok, type Result } from '../../src-shared/result';
import { createEngine } from './engine';
import { openWorkspace } from './workspace';
import { defaultUserModelsDir } from '../models/model-store';
import { createModelDownloads } from '../api/model-downloads';
import { openModelFolders } from '../api/model-folders';
import { isKnownModel, isModelInstalled, localModelDir, localModelFrom, type ModelPlaces } from '../api/model-list';
import { openSettingsStore } from '../api/settings-store';
import type { AppServices, AppServicesOptions } from '../api/types';
import { forgetFinishedUpload, importsInUse, sweepUploads, SWEEP_INTERVAL_MS } from '../api/upload-sweeper';
import { createWireHandlers } from '../api/wire-handlers';
import { inBackground } from '../util/background';

export async function createAppServices(options: AppServicesOptions): Promise<Result<AppServices>> {
  const dataDir = resolve(options.dataDir);
  const logger = options.logger ?? consoleLogger();
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (error) {
    return fail('DATA_DIR_UNAVAILABLE', `Cannot create the data folder ${dataDir}: ${errorMessage(error)}`, dataDir);
  }
  const modelsDir = resolve(options.modelsDir ?? join(dataDir, 'models'));
  const folders = openModelFolders(dataDir, logger);
  // Extra folders, then the places other Verbatim tools keep models (a model the CLI downloaded is used as is).
  const otherDirs = [
    ...new Set([...(options.extraModelDirs ?? []), ...(options.sharedModelDirs ?? [defaultUserModelsDir()])].map((dir) => resolve(dir))),
  ].filter((dir) => dir !== modelsDir);
  const places: ModelPlaces = { modelsDir, local: localModelFrom(options.localModelDir), otherDirs, folders: () => folders.list() };
  const settings = await openSettingsStore({
    dataDir,
    localModelId: places.local?.id ?? null,
    isKnownModel: (modelId) => isKnownModel(places, modelId),
    isInstalled: (modelId) => isModelInstalled(places, modelId),
    logger,
  });
  const device = options.device ?? (settings.current().useGpu ? 'auto' : 'cpu');
  const hub = { hubUrl: options.hubUrl || undefined };

  const extraModelDirs = { extraModelDirs: otherDirs.length > 0 ? otherDirs : undefined };
  const engine = createEngine({
    userDataDir: dataDir,
    modelsDir: places.modelsDir,
    device,
    ...hub,
    ...extraModelDirs,
    childLauncher: options.engineProcess,
  });
  const opened = await openWorkspace({
    dataDir,
    modelsDir: places.modelsDir,
    device,
    ...hub,
    ...extraModelDirs,
    // Read at each finished transcript: the setting applies from the next one on.
    autoDiarize: () => options.autoDiarize !== false && settings.current().findSpeakers,
    onDamagedLibrary: options.onDamagedLibrary,
    engineProcess: options.engineProcess,
    userName: () => settings.current().userName,
    logger,
    // Jobs naming a model offered by path are transcribed from its folder.
    defaults: {
      modelId: places.local?.id,
      modelDir: places.local?.dir,
      modelDirFor: (modelId: string) => localModelDir(places, modelId) ?? undefined,
    },
  });
  if (!opened.ok) {
    await engine.dispose();
    return opened;
  }
  const workspace = opened.value;

  const listeners = new Set<(event: WireEvent) => void>();
  const emit = (event: WireEvent): void => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        // One client's failing listener must not keep the event from the others.
        logger.warn(`A listener of ${event.channel} events threw`, error);
      }
    }
  };
  const uploadsDir = join(dataDir, 'uploads');
  const downloads = createModelDownloads({ places, ...hub, onProgress: (payload) => emit({ channel: 'model-download', payload }) });
  const unsubscribers = [
    engine.onRecordingEvent((payload) => emit({ channel: 'recording', payload })),
    workspace.jobs.onEvent((payload) => {
      emit({ channel: 'job', payload });
      forgetFinishedUpload(uploadsDir, payload).catch((error: unknown) => logger.warn('Could not remove an imported upload', error));
    }),
    workspace.drafts.onDraft((payload) => emit({ channel: 'transcript-draft', payload })),
    // Recordings land in the library; a failure to store one is shown like any other recorder error.
    workspace.attachRecorder(engine, (error) => emit({ channel: 'recording', payload: { type: 'error', error, fatal: false } })),
  ];
  await engine.recorder.recoverAtStartup();
  // Uploads nothing will import any more (a closed page, a crash) go after a day; checked now and hourly.
  const sweep = async (): Promise<void> => {
    const waiting = workspace.jobs.list({ states: ['queued', 'running'], kinds: ['import'] });
    if (waiting.ok) await sweepUploads(uploadsDir, { inUse: importsInUse(waiting.value) });
  };
  const sweepLogged = (): Promise<void> =>
    sweep().catch((error: unknown) => logger.warn(`Could not sweep old uploads in ${uploadsDir}`, error));
  await sweepLogged();
  const sweeper = setInterval(() => {
    inBackground(sweepLogged());
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();

  let disposed: Promise<void> | null = null;
  return ok({
    handlers: createWireHandlers({ engine, workspace, settings, places, folders, downloads, mediaDir: join(dataDir, 'media'), logger }),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    mediaPath(meetingId) {
      const meeting = workspace.library.getMeeting(meetingId);
      if (!meeting.ok) return meeting;
      const path = meeting.value.recordingPath;
      if (path === null || !isFile(path))
        return fail('MEDIA_NOT_FOUND', `The meeting "${meeting.value.title}" has no playable media on disk yet.`, meetingId);
      return ok(path);
    },
    uploadsDir,
    libraryNotice: workspace.libraryNotice,
    dispose() {
      disposed ??= (async () => {
        clearInterval(sweeper);
        await downloads.dispose();
        // The engine first: stopping a recording saves it, and the saved event still reaches the library.
        await engine.dispose();
        for (const unsubscribe of unsubscribers) unsubscribe();
        await workspace.close();
        listeners.clear();
      })();
      return disposed;
    },
  });
}

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}
