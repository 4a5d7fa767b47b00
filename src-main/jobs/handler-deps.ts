/**
 * What the job handlers are built on: the library, the decoder's probe, a FileTranscriber (in the app, a
 * child process), a FileDiarizer and ffmpeg for the playable media copy. Apart from handlers.ts so each
 * handler can name it without importing the file that imports every handler.
 */
import type { AudioDecoder } from '../audio/types';
import type { FileDiarizer } from '../diarization/file-diarizer';
import type { LibraryStore } from '../library/library-store';
import type { FileTranscriber } from './file-transcriber';
import type { TranscriptDrafts } from './transcript-drafts';
import type { TranscriptionDefaults } from './transcription-steps';

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
