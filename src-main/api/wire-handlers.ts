/**
 * Every wire method, answered from the engine and the workspace. Arguments are checked here (the page is
 * not trusted); what the page leaves out (model, language, devices) comes from the user's settings.
 */
import type { AppSettings, EngineInfo, WireHandlers } from '../../src-shared/ipc-contract';
import { parseId, parseRecordingStartRequest } from '../../src-shared/ipc-validation';
import type { RecordingStartRequest } from '../../src-shared/recording-events';
import { fail, ok, type Result } from '../../src-shared/result';
import type { Recorder, StartRecordingRequest } from '../record/recorder';
import type { Workspace } from '../jobs/workspace';
import { listDiarizationModelEntries } from './diarization-model-list';
import { guarded } from './handler-guard';
import { createLibraryHandlers } from './library-handlers';
import type { ModelDownloads } from './model-downloads';
import type { ModelFolders } from './model-folders';
import { listModels, localModelDir, type ModelPlaces } from './model-list';
import { createQueueHandlers } from './queue-handlers';
import type { SettingsStore } from './settings-store';
import type { Logger } from '../../src-shared/logger';

/** What the wire handlers use of the engine (app/engine.ts builds it). */
export interface WireEngine {
  info(): Promise<Result<EngineInfo>>;
  readonly recorder: Recorder;
}

export interface WireHandlerDeps {
  engine: WireEngine;
  workspace: Pick<Workspace, 'library' | 'jobs' | 'drafts' | 'importFiles' | 'retranscribe' | 'diarize'>;
  settings: SettingsStore;
  places: ModelPlaces;
  /** Model folders the user adds; none can be added without it. */
  folders?: Pick<ModelFolders, 'add'>;
  downloads: Pick<ModelDownloads, 'start'>;
  /** The library's media folder (`<dataDir>/media`). */
  mediaDir: string;
  logger: Logger;
}

export function createWireHandlers(deps: WireHandlerDeps): WireHandlers {
  const { engine, settings } = deps;
  const recorder = engine.recorder;
  return {
    engineInfo: guarded('engineInfo', 0, () => engine.info()),
    getSettings: guarded('getSettings', 0, () => ok(settings.current())),
    updateSettings: guarded('updateSettings', 1, ([patch]) => settings.update(patch)),
    listModels: guarded('listModels', 0, () => listModels(deps.places)),
    downloadModel: guarded('downloadModel', 1, ([modelId]) => {
      const id = parseId(modelId, 'modelId');
      return id.ok ? deps.downloads.start(id.value) : id;
    }),
    addModelFolder: guarded('addModelFolder', 1, async ([path]) => {
      const dir = parseId(path, 'path');
      if (!dir.ok) return dir;
      if (deps.folders === undefined) return fail('MODEL_FOLDERS_UNAVAILABLE', 'Model folders cannot be added here.');
      const added = await deps.folders.add(dir.value);
      if (!added.ok) return added;
      const models = await listModels(deps.places);
      if (!models.ok) return models;
      const entry = models.value.find((model) => model.id === added.value.id);
      return entry ? ok(entry) : fail('MODEL_FOLDER_INVALID', `${dir.value} could not be offered as a model.`, dir.value);
    }),
    listDiarizationModels: guarded('listDiarizationModels', 0, () => listDiarizationModelEntries(deps.places)),
    listCaptureDevices: guarded('listCaptureDevices', 0, () => recorder.listDevices()),
    startRecording: guarded('startRecording', 1, ([request]) => {
      const parsed = parseRecordingStartRequest(request);
      return parsed.ok ? recorder.start(recordingRequest(parsed.value, settings.current(), deps.places)) : parsed;
    }),
    pauseRecording: guarded('pauseRecording', 0, () => recorder.pause()),
    resumeRecording: guarded('resumeRecording', 0, () => recorder.resume()),
    stopRecording: guarded('stopRecording', 0, () => recorder.stop()),
    ...createLibraryHandlers({
      library: deps.workspace.library,
      jobs: deps.workspace.jobs,
      drafts: deps.workspace.drafts,
      mediaDir: deps.mediaDir,
      logger: deps.logger,
    }),
    ...createQueueHandlers({ workspace: deps.workspace, jobs: deps.workspace.jobs, settings }),
  };
}

/** The page's request over the settings; a model offered by path is opened from its folder. */
export function recordingRequest(request: RecordingStartRequest, settings: AppSettings, places: ModelPlaces): StartRecordingRequest {
  const modelId = request.modelId ?? settings.modelId;
  const prompt = (request.prompt ?? settings.vocabulary).trim();
  const modelDir = localModelDir(places, modelId);
  return {
    ...request,
    modelId,
    language: request.language !== undefined ? request.language : settings.language,
    prompt: prompt || undefined,
    deviceId: request.deviceId !== undefined ? request.deviceId : settings.inputDeviceId,
    monitorDeviceId: request.monitorDeviceId !== undefined ? request.monitorDeviceId : settings.monitorDeviceId,
    modelDir: modelDir ?? undefined,
  };
}
