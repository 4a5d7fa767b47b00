export { CrashSafeWavWriter, DEFAULT_FLUSH_INTERVAL_MS, DEFAULT_MAX_SEGMENT_BYTES } from './crash-safe-wav-writer';
export type { FinalizedRecording, WavWriterErrorCode, WavWriterOptions } from './crash-safe-wav-writer';
export { recoverInterruptedRecordings, repairWavFile } from './recover';
export type { RecoveryErrorCode, RecoveryReport, RecoveryResult, RepairedWav } from './recover';
export { cleanTempFiles } from './temp-files';
export type { RecordingSidecar } from './recording-sidecar';
export type { WavSampleFormat } from './wav-format';
