/**
 * The job handlers the queue runs, built on injected adapters: the library, the decoder's probe,
 * a FileTranscriber (in the app, a child process), a FileDiarizer and ffmpeg for the playable media copy.
 */
import type { AudioDecoder } from '../audio/types';
import type { FileDiarizer } from '../diarization/file-diarizer';
import type { LibraryStore } from '../library/library-store';
import { DEFAULT_USER_NAME } from './channel-speakers';
import { createDiarizeHandler } from './diarize-handler';
import { createExportHandler } from './export-handler';
import type { FileTranscriber } from './file-transcriber';
import { createImportHandler } from './import-handler';
import { createRetranscribeHandler } from './retranscribe-handler';
import type { TranscriptDrafts } from './transcript-drafts';
import type { TranscriptionDefaults } from './transcription-steps';
import type { JobHandlers } from './types';

export interface JobHandlerDeps {
  library: LibraryStore;
  decoder: AudioDecoder;
  transcriber: FileTranscriber;
  /** Who spoke when; null where diarization is not set up (the diarize job then fails with a clear code). */
  diarizer?: FileDiarizer | null;
  /** Where each meeting's media copy lives, as `<meetingId>.ogg`. */
  mediaDir: string;
  ffmpegPath: string;
  /** The model a job gets when its payload names none. */
  defaults: TranscriptionDefaults;
  /** The user's name, for their own channel of a separated recording (read at each job); default "Me". */
  userName?: (() => string) | undefined;
  /** Where imports put their segments as they come, for a meeting opened while it is transcribed. */
  drafts?: TranscriptDrafts;
}

export function createJobHandlers(deps: JobHandlerDeps): JobHandlers {
  return {
    import: createImportHandler(deps),
    retranscribe: createRetranscribeHandler(deps),
    export: createExportHandler(deps),
    diarize: createDiarizeHandler({ library: deps.library, diarizer: deps.diarizer ?? null, decoder: deps.decoder, userName: deps.userName ?? (() => DEFAULT_USER_NAME) }),
  };
}
