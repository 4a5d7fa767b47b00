/**
 * The job handlers the queue runs, built on injected adapters: the library, the decoder's probe,
 * a FileTranscriber (in the app, a child process), a FileDiarizer and ffmpeg for the playable media copy.
 */
import { DEFAULT_USER_NAME } from './channel-speakers';
import { createDiarizeHandler } from './diarize-handler';
import { createExportHandler } from './export-handler';
import { createImportHandler } from './import-handler';
import { createRetranscribeHandler } from './retranscribe-handler';
import type { JobHandlerDeps } from './handler-deps';
import type { JobHandlers } from './types';

export function createJobHandlers(deps: JobHandlerDeps): JobHandlers {
  return {
    import: createImportHandler(deps),
    retranscribe: createRetranscribeHandler(deps),
    export: createExportHandler(deps),
    diarize: createDiarizeHandler({
      library: deps.library,
      diarizer: deps.diarizer ?? null,
      decoder: deps.decoder,
      userName: deps.userName ?? (() => DEFAULT_USER_NAME),
    }),
  };
}
