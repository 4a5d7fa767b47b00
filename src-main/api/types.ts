/**
 * The engine as the app's clients use it: one set of wire handlers and one event stream, shared by the
 * Electron main process (IPC) and the browser bridge (WebSocket). Built by createAppServices.
 */
import type { WireEvent, WireHandlers } from '../../src-shared/ipc-contract';
import type { Result } from '../../src-shared/result';
import type { ExecutionPreference } from '../asr/execution-provider';

export interface AppServicesOptions {
  /** The user data folder: library, media, recordings, settings, models (unless modelsDir). */
  dataDir: string;
  modelsDir?: string;
  /**
   * A local model folder (transformers.js layout) offered as an installed model, e.g. for a headless
   * machine without internet; its id is the folder's name. It becomes the default model when the
   * settings name none that is installed.
   */
  localModelDir?: string;
  /** Overrides the settings' useGpu ('auto' when on, 'cpu' when off). */
  device?: ExecutionPreference;
  /** Hub root for model downloads (a mirror, or a local test double); the Hugging Face hub by default. */
  hubUrl?: string;
  /** More folders searched for installed models (`<dir>/<model id>/…`), e.g. the diarization models. */
  extraModelDirs?: string[];
  /** false: never find speakers automatically, whatever the settings say (`serve --no-diarize`). */
  autoDiarize?: boolean;
  /**
   * Folders where other Verbatim tools keep models (`<dir>/<model id>/…`), searched so a model the CLI
   * already downloaded is used rather than downloaded again. Default: the CLI's models folder.
   */
  sharedModelDirs?: string[];
}

export interface AppServices {
  /** Every wire method; arguments are validated inside (the page is not trusted). */
  readonly handlers: WireHandlers;
  onEvent(listener: (event: WireEvent) => void): () => void;
  /** The meeting's playable media file on disk (for the media protocol / HTTP route). */
  mediaPath(meetingId: string): Result<string>;
  /** Where the bridge keeps uploaded files before importing them. */
  readonly uploadsDir: string;
  /** Finalizes a running recording, hands running jobs back to the queue, disposes models, closes the database. */
  dispose(): Promise<void>;
}
