/**
 * The engine as the app's clients use it: one set of wire handlers and one event stream, shared by the
 * Electron main process (IPC) and the browser bridge (WebSocket). Built by createAppServices.
 */
import type { WireEvent, WireHandlers } from '../../src-shared/ipc-contract';
import type { Result } from '../../src-shared/result';
import type { ExecutionPreference } from '../onnx/execution-provider';
import type { EngineChildLauncher } from '../util/engine-child/engine-child-process';
import type { DamagedLibraryChoice } from '../library/open-library-database';
import type { Logger } from '../../src-shared/logger';

export interface AppServicesOptions {
  /** The user data folder: library, media, recordings, settings, models (unless modelsDir). */
  dataDir: string;
  modelsDir?: string | undefined;
  /**
   * A local model folder (transformers.js layout) offered as an installed model, e.g. for a headless
   * machine without internet; its id is the folder's name. It becomes the default model when the
   * settings name none that is installed.
   */
  localModelDir?: string | undefined;
  /** Overrides the settings' useGpu ('auto' when on, 'cpu' when off). */
  device?: ExecutionPreference | undefined;
  /** Hub root for model downloads (a mirror, or a local test double); the Hugging Face hub by default. */
  hubUrl?: string | undefined;
  /** More folders searched for installed models (`<dir>/<model id>/…`), e.g. the diarization models. */
  extraModelDirs?: string[] | undefined;
  /** false: never find speakers automatically, whatever the settings say (`serve --no-diarize`). */
  autoDiarize?: boolean | undefined;
  /** A damaged library: refuse (default, LIBRARY_DAMAGED), or open a recovered copy or a new library beside it. */
  onDamagedLibrary?: DamagedLibraryChoice | undefined;
  /** How the engine's child process starts: fork under Node (default); the Electron app passes its utilityProcess launcher. */
  engineProcess?: EngineChildLauncher | undefined;
  /**
   * Folders where other Verbatim tools keep models (`<dir>/<model id>/…`), searched so a model the CLI
   * already downloaded is used rather than downloaded again. Default: the CLI's models folder.
   */
  sharedModelDirs?: string[] | undefined;
  /** Where what nobody returns is reported (a listener that threw, a damaged settings file); default: stderr. */
  logger?: Logger;
}

export interface AppServices {
  /** Every wire method; arguments are validated inside (the page is not trusted). */
  readonly handlers: WireHandlers;
  onEvent(listener: (event: WireEvent) => void): () => void;
  /** The meeting's playable media file on disk (for the media protocol / HTTP route). */
  mediaPath(meetingId: string): Result<string>;
  /** Where the bridge keeps uploaded files before importing them. */
  readonly uploadsDir: string;
  /** Set when a recovered copy or a new library was opened instead of a damaged one (one sentence for the user). */
  readonly libraryNotice: string | null;
  /** Finalizes a running recording, hands running jobs back to the queue, disposes models, closes the database. */
  dispose(): Promise<void>;
}
