/** Argument checks for IPC handlers (Electron main and the browser bridge): the renderer is not trusted. */
import type { RecordingStartRequest } from './recording-events';
import { fail, ok, type Result } from './result';
import type { TranscribeFileRequest } from './ipc-contract';

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const optionalString = (value: unknown): boolean => value === undefined || (typeof value === 'string' && value.length > 0 && value.length < 4096);
const optionalNullableString = (value: unknown): boolean => value === null || optionalString(value);
const optionalTask = (value: unknown): boolean => value === undefined || value === 'transcribe' || value === 'translate';

export function parseTranscribeRequest(value: unknown): Result<TranscribeFileRequest> {
  if (!isObject(value) || typeof value.path !== 'string' || value.path.length === 0) {
    return fail('IPC_BAD_REQUEST', 'transcribeFile needs a non-empty path.');
  }
  if (!optionalString(value.modelId) || !optionalNullableString(value.language) || !optionalTask(value.task)) {
    return fail('IPC_BAD_REQUEST', 'transcribeFile: modelId and language must be strings, task transcribe or translate.');
  }
  return ok({
    path: value.path,
    ...(value.modelId !== undefined ? { modelId: value.modelId as string } : {}),
    ...(value.language !== undefined ? { language: value.language as string | null } : {}),
    ...(value.task !== undefined ? { task: value.task as 'transcribe' | 'translate' } : {}),
  });
}

export function parseRecordingStartRequest(value: unknown): Result<RecordingStartRequest> {
  const request = value ?? {};
  if (!isObject(request)) return fail('IPC_BAD_REQUEST', 'startRecording needs an object.');
  const valid =
    optionalNullableString(request.deviceId) &&
    optionalNullableString(request.monitorDeviceId) &&
    optionalString(request.modelId) &&
    optionalNullableString(request.language) &&
    optionalTask(request.task) &&
    (request.transcribe === undefined || typeof request.transcribe === 'boolean');
  if (!valid) return fail('IPC_BAD_REQUEST', 'startRecording: device ids, modelId and language must be strings, task transcribe or translate, transcribe a boolean.');
  // Only known fields cross into the engine (engine-only knobs like a model folder cannot be set from the page).
  const known: RecordingStartRequest = {};
  if (request.deviceId !== undefined) known.deviceId = request.deviceId as string | null;
  if (request.monitorDeviceId !== undefined) known.monitorDeviceId = request.monitorDeviceId as string | null;
  if (request.modelId !== undefined) known.modelId = request.modelId as string;
  if (request.language !== undefined) known.language = request.language as string | null;
  if (request.task !== undefined) known.task = request.task as 'transcribe' | 'translate';
  if (request.transcribe !== undefined) known.transcribe = request.transcribe as boolean;
  return ok(known);
}
