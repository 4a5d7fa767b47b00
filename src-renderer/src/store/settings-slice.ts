/** Settings, the model catalog, downloads, engine facts, and the start-up gate (first run). */
import type {
  AppSettings,
  DiarizationModelEntry,
  EngineInfo,
  ModelDownloadProgress,
  ModelEntry,
  VerbatimApi,
} from '../../../src-shared/ipc-contract';
import type { CodedError, Result } from '../../../src-shared/result';
import type { SliceCreator } from './types';

export type SettingsPatch = Parameters<VerbatimApi['updateSettings']>[0];

/** `first-run`: the chosen model is not installed yet, so nothing can be transcribed. */
export type StartupState = { phase: 'loading' } | { phase: 'failed'; error: CodedError } | { phase: 'first-run' } | { phase: 'ready' };

export interface SettingsSlice {
  startup: StartupState;
  settings: AppSettings | null;
  models: ModelEntry[];
  modelsError: CodedError | null;
  engineInfo: EngineInfo | null;
  engineInfoError: CodedError | null;
  downloads: Readonly<Record<string, ModelDownloadProgress>>;
  diarizationModels: DiarizationModelEntry[];
  diarizationModelsError: CodedError | null;
  initialize(): Promise<void>;
  /** Into the app without a speech model (recording still works; transcription waits for a model). */
  skipFirstRun(): void;
  /** Offers a model folder on this computer and makes it the model in use. */
  addModelFolder(path: string): Promise<Result<ModelEntry>>;
  loadDiarizationModels(): Promise<void>;
  /** After the link to the engine came back: everything that may have changed meanwhile. */
  refreshAfterReconnect(): Promise<void>;
  loadModels(): Promise<void>;
  loadEngineInfo(): Promise<void>;
  saveSettings(patch: SettingsPatch): Promise<Result<AppSettings>>;
  startModelDownload(modelId: string): Promise<void>;
  applyModelDownload(progress: ModelDownloadProgress): void;
}

export function isModelInstalled(models: readonly ModelEntry[], modelId: string): boolean {
  return models.some((model) => model.id === modelId && model.installed);
}

export const createSettingsSlice: SliceCreator<SettingsSlice> = (set, get, api) => {
  function leaveFirstRunWhenInstalled(): void {
    const { startup, settings, models } = get();
    if (startup.phase === 'first-run' && settings !== null && isModelInstalled(models, settings.modelId)) {
      set({ startup: { phase: 'ready' } });
      get().navigate('record');
    }
  }

  return {
    startup: { phase: 'loading' },
    settings: null,
    models: [],
    modelsError: null,
    engineInfo: null,
    engineInfoError: null,
    downloads: {},
    diarizationModels: [],
    diarizationModelsError: null,
    async initialize() {
      set({ startup: { phase: 'loading' } });
      void get().loadJobs();
      void get().loadMeetings();
      void get().loadDevices();
      const [settings, models, info] = await Promise.all([api.getSettings(), api.listModels(), api.engineInfo()]);
      set(info.ok ? { engineInfo: info.value, engineInfoError: null } : { engineInfoError: info.error });
      if (!settings.ok) return set({ startup: { phase: 'failed', error: settings.error } });
      if (!models.ok) return set({ startup: { phase: 'failed', error: models.error }, modelsError: models.error });
      get().adoptCaptureDefaults(settings.value);
      const installed = isModelInstalled(models.value, settings.value.modelId);
      set({
        settings: settings.value,
        models: models.value,
        modelsError: null,
        startup: { phase: installed ? 'ready' : 'first-run' },
      });
    },
    skipFirstRun() {
      if (get().startup.phase !== 'first-run') return;
      set({ startup: { phase: 'ready' } });
      get().navigate('library');
    },
    async addModelFolder(path) {
      const added = await api.addModelFolder(path);
      if (!added.ok) return added;
      const saved = await api.updateSettings({ modelId: added.value.id });
      if (!saved.ok) return saved;
      set({ settings: saved.value });
      await get().loadModels();
      return added;
    },
    async loadDiarizationModels() {
      const result = await api.listDiarizationModels();
      if (result.ok) set({ diarizationModels: result.value, diarizationModelsError: null });
      else set({ diarizationModelsError: result.error });
    },
    async refreshAfterReconnect() {
      if (get().startup.phase === 'failed' || get().startup.phase === 'loading') {
        await get().initialize();
        return;
      }
      void get().loadJobs();
      void get().loadMeetings();
      void get().loadModels();
      const openMeetingId = get().meetingView.meetingId;
      if (openMeetingId !== null) void get().loadMeeting(openMeetingId);
    },
    async loadModels() {
      const result = await api.listModels();
      if (!result.ok) return set({ modelsError: result.error });
      set({ models: result.value, modelsError: null });
      leaveFirstRunWhenInstalled();
    },
    async loadEngineInfo() {
      const info = await api.engineInfo();
      set(info.ok ? { engineInfo: info.value, engineInfoError: null } : { engineInfoError: info.error });
    },
    async saveSettings(patch) {
      const result = await api.updateSettings(patch);
      if (result.ok) {
        set({ settings: result.value });
        leaveFirstRunWhenInstalled();
      }
      return result;
    },
    async startModelDownload(modelId) {
      const totalBytes = get().models.find((model) => model.id === modelId)?.downloadBytes ?? null;
      const starting: ModelDownloadProgress = { modelId, receivedBytes: 0, totalBytes, state: 'downloading', error: null };
      set((state) => ({ downloads: { ...state.downloads, [modelId]: starting } }));
      const result = await api.downloadModel(modelId);
      if (result.ok) return;
      const failed: ModelDownloadProgress = { ...starting, state: 'failed', error: result.error };
      set((state) => ({ downloads: { ...state.downloads, [modelId]: failed } }));
    },
    applyModelDownload(progress) {
      set((state) => ({ downloads: { ...state.downloads, [progress.modelId]: progress } }));
      if (progress.state === 'done') {
        void get().loadModels();
        void get().loadDiarizationModels();
      }
    },
  };
};
