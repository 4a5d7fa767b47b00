/**
 * The job handlers the queue runs, built on injected adapters: the library, the decoder's probe,
 * a FileTranscriber (in the app, a child process) and ffmpeg for the playable media copy.
 */
import type { AudioDecoder } from '../audio/types';
import type { LibraryStore } from '../library/library-store';
import { createExportHandler } from './export-handler';
import type { FileTranscriber } from './file-transcriber';
import { createImportHandler } from './import-handler';
import { createRetranscribeHandler } from './retranscribe-handler';
import type { TranscriptionDefaults } from './transcription-steps';
import type { JobHandlers } from './types';

export interface JobHandlerDeps {
  library: LibraryStore;
  decoder: AudioDecoder;
  transcriber: FileTranscriber;
  /** Where each meeting's media copy lives, as `<meetingId>.ogg`. */
  mediaDir: string;
  ffmpegPath: string;
  /** The model a job gets when its payload names none. */
  defaults: TranscriptionDefaults;
}

export function createJobHandlers(deps: JobHandlerDeps): JobHandlers {
  return {
    import: createImportHandler(deps),
    retranscribe: createRetranscribeHandler(deps),
    export: createExportHandler(deps),
  };
}
