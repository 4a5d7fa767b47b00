/** A whole-file transcription as the engine takes it (the CLI, the job handlers, the transcriber child). */
import type { AsrTask, TranscriptSegment } from '../../src-shared/transcript';

export interface TranscribeFileRequest {
  path: string;
  modelId?: string | undefined;
  language?: string | null | undefined;
  task?: AsrTask | undefined;
  /** Names and words the speakers use (a vocabulary prompt). */
  prompt?: string | undefined;
  /** Beams of the decoder's search (1 = greedy); the engine's default (5) when absent. */
  beamSize?: number | undefined;
}

export interface TranscribeProgress {
  path: string;
  stage: 'probe' | 'load-model' | 'decode' | 'vad' | 'transcribe' | 'done';
  /** 0–100 over the whole file. */
  percent: number;
  /** Segments transcribed since the last report, for a preview while the file is transcribed. */
  segments?: TranscriptSegment[] | undefined;
}
