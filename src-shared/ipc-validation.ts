/**
 * Argument checks for the wire handlers (Electron IPC and the browser bridge): the page is not trusted.
 * Every failure is `IPC_BAD_REQUEST`; only known fields cross into the engine.
 */
import type { AppSettings, ExportFormat, SpeakerCountChoice, WireMethod } from './ipc-contract';
import { EXPORT_FORMAT_LIST, WIRE_ARITY, WIRE_METHODS } from './ipc-contract';
import { MAX_PROMPT_LENGTH, type TranscriptionChoice } from './jobs';
import type { RecordingStartRequest } from './recording-events';
import { fail, ok, type Result } from './result';
import type { AsrTask } from './transcript';

type Fields = Record<string, unknown>;

const MAX_STRING = 4096;
/** Long enough for any segment a person would edit; short enough that one message cannot exhaust memory. */
const MAX_TEXT = 100_000;
const MAX_PATHS = 1000;

const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const isShortString = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length < MAX_STRING;
const optionalString = (value: unknown): boolean => value === undefined || isShortString(value);
const optionalNullableString = (value: unknown): boolean => value === null || optionalString(value);
const optionalTask = (value: unknown): boolean => value === undefined || value === 'transcribe' || value === 'translate';
const isPrompt = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= MAX_PROMPT_LENGTH && !value.includes('\0');
const optionalPrompt = (value: unknown): boolean => value === undefined || isPrompt(value);
/** ISO 639-1 (and the few three-letter codes Whisper knows, like "haw" and "yue"). */
const isLanguageCode = (value: unknown): value is string => typeof value === 'string' && /^[a-z]{2,3}$/.test(value);

function badRequest(message: string): { ok: false; error: { code: 'IPC_BAD_REQUEST'; message: string } } {
  return fail('IPC_BAD_REQUEST', message);
}

/** No method takes more arguments than its signature names. */
export function checkArity(method: string, args: readonly unknown[], max: number): Result<void> {
  return args.length > max
    ? badRequest(`${method} takes at most ${max} argument${max === 1 ? '' : 's'}, got ${args.length}.`)
    : ok(undefined);
}

/** A request as a transport received it, checked before its arguments are spread, copied or passed on. */
export interface WireCall {
  method: WireMethod;
  args: unknown[];
}

/**
 * The first check of every transport (the bridge's socket, Electron's IPC, the preload): a known method
 * and an array of at most as many arguments as it takes. Only the array's length is read here, so a
 * message with a million arguments costs nothing more than its refusal.
 */
export function checkWireCall(method: unknown, args: unknown): Result<WireCall> {
  const known = WIRE_METHODS.find((candidate) => candidate === method);
  if (known === undefined) {
    const name = typeof method === 'string' ? method.slice(0, 100) : typeof method;
    return fail('IPC_UNKNOWN_METHOD', `There is no method "${name}".`, name);
  }
  if (!Array.isArray(args)) return badRequest(`${known} needs its arguments as an array.`);
  const arity = checkArity(known, args, WIRE_ARITY[known]);
  return arity.ok ? ok({ method: known, args: args as unknown[] }) : arity;
}

/** A meeting, job or model id. */
export function parseId(value: unknown, what: string): Result<string> {
  return isShortString(value) ? ok(value) : badRequest(`${what} must be a non-empty string.`);
}

export function parseIndex(value: unknown, what: string): Result<number> {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? ok(value) : badRequest(`${what} must be an integer ≥ 0.`);
}

/** Free text (a search query, a segment's text): may be empty. */
export function parseText(value: unknown, what: string, maxLength = MAX_TEXT): Result<string> {
  return typeof value === 'string' && value.length <= maxLength
    ? ok(value)
    : badRequest(`${what} must be a string of at most ${maxLength} characters.`);
}

export function parseNullableName(value: unknown, what: string): Result<string | null> {
  if (value === null || value === undefined) return ok(null);
  return typeof value === 'string' && value.length <= 500
    ? ok(value)
    : badRequest(`${what} must be a string of at most 500 characters, or null.`);
}

export function parseExportFormat(value: unknown): Result<ExportFormat> {
  const format = EXPORT_FORMAT_LIST.find((candidate) => candidate === value);
  return format === undefined ? badRequest(`The export format must be one of ${EXPORT_FORMAT_LIST.join(', ')}.`) : ok(format);
}

/** Absolute paths of files on the engine's disk (one import job each). */
export function parsePaths(value: unknown): Result<string[]> {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_PATHS)
    return badRequest(`importPaths needs 1 to ${MAX_PATHS} paths.`);
  const absolute = /^(\/|[A-Za-z]:[\\/]|\\\\)/;
  for (const path of value) {
    if (!isShortString(path) || !absolute.test(path) || path.includes('\0')) return badRequest('Every path must be an absolute file path.');
  }
  return ok(value as string[]);
}

/** Absent (or null, which JSON makes of an absent argument) means "the app's defaults". */
export function parseTranscriptionChoice(value: unknown): Result<TranscriptionChoice> {
  const choice = value ?? {};
  if (!isObject(choice)) return badRequest('A transcription choice must be an object.');
  const languageValid = choice.language === undefined || choice.language === null || isLanguageCode(choice.language);
  if (!optionalString(choice.modelId) || !languageValid || !optionalTask(choice.task) || !optionalPrompt(choice.prompt)) {
    return badRequest(
      `A transcription choice has a modelId string, a language code or null, task transcribe or translate, and a prompt of at most ${MAX_PROMPT_LENGTH} characters.`,
    );
  }
  const known: TranscriptionChoice = {};
  if (choice.modelId !== undefined) known.modelId = choice.modelId as string;
  if (choice.language !== undefined) known.language = choice.language as string | null;
  if (choice.task !== undefined) known.task = choice.task as AsrTask;
  if (choice.prompt !== undefined) known.prompt = choice.prompt as string;
  if (choice.channels !== undefined) {
    if (choice.channels !== 'mix' && choice.channels !== 'separate')
      return badRequest("A transcription choice's channels is mix or separate.");
    known.channels = choice.channels;
  }
  return ok(known);
}

/** Speaker-count hint of a diarization: null/absent (automatic), or whole numbers 1–50 with min ≤ max. */
export function parseSpeakerCountChoice(value: unknown): Result<SpeakerCountChoice | null> {
  if (value === undefined || value === null) return ok(null);
  if (!isObject(value)) return badRequest('A speaker count is an object with exact, min or max.');
  const count = (field: unknown): boolean =>
    field === undefined || (Number.isInteger(field) && (field as number) >= 1 && (field as number) <= 50);
  if (!count(value.exact) || !count(value.min) || !count(value.max)) return badRequest('Speaker counts are whole numbers from 1 to 50.');
  const known: SpeakerCountChoice = {};
  if (value.exact !== undefined) known.exact = value.exact as number;
  if (value.min !== undefined) known.min = value.min as number;
  if (value.max !== undefined) known.max = value.max as number;
  if (known.min !== undefined && known.max !== undefined && known.min > known.max)
    return badRequest('The least number of speakers is more than the most.');
  return ok(Object.keys(known).length === 0 ? null : known);
}

export function parseRecordingStartRequest(value: unknown): Result<RecordingStartRequest> {
  const request = value ?? {};
  if (!isObject(request)) return badRequest('startRecording needs an object.');
  const valid =
    optionalNullableString(request.deviceId) &&
    optionalNullableString(request.monitorDeviceId) &&
    optionalString(request.modelId) &&
    optionalNullableString(request.language) &&
    optionalTask(request.task) &&
    optionalPrompt(request.prompt) &&
    (request.transcribe === undefined || typeof request.transcribe === 'boolean');
  if (!valid)
    return badRequest(
      'startRecording: device ids, modelId and language must be strings, task transcribe or translate, transcribe a boolean.',
    );
  // Only known fields cross into the engine (engine-only knobs like a model folder cannot be set from the page).
  const known: RecordingStartRequest = {};
  if (request.deviceId !== undefined) known.deviceId = request.deviceId as string | null;
  if (request.monitorDeviceId !== undefined) known.monitorDeviceId = request.monitorDeviceId as string | null;
  if (request.modelId !== undefined) known.modelId = request.modelId as string;
  if (request.language !== undefined) known.language = request.language as string | null;
  if (request.task !== undefined) known.task = request.task as AsrTask;
  if (request.prompt !== undefined) known.prompt = request.prompt as string;
  if (request.transcribe !== undefined) known.transcribe = request.transcribe as boolean;
  return ok(known);
}

const SETTINGS_FIELDS: Record<keyof AppSettings, (value: unknown) => boolean> = {
  modelId: isShortString,
  language: (value) => value === null || isLanguageCode(value),
  vocabulary: isPrompt,
  useGpu: (value) => typeof value === 'boolean',
  findSpeakers: (value) => typeof value === 'boolean',
  storageDir: (value) => isShortString(value) && /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(value) && !value.includes('\0'),
  inputDeviceId: (value) => value === null || isShortString(value),
  monitorDeviceId: (value) => value === null || isShortString(value),
  userName: (value) => isShortString(value) && value.trim().length > 0 && value.length <= 80,
};

const isSettingsKey = (key: string): key is keyof AppSettings => Object.hasOwn(SETTINGS_FIELDS, key);

/** A settings patch: only known fields, each of its type (unknown fields are refused, not dropped). */
export function parseSettingsPatch(value: unknown): Result<Partial<AppSettings>> {
  if (!isObject(value)) return badRequest('updateSettings needs an object of settings to change.');
  const patch: Fields = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined) continue;
    if (!isSettingsKey(key)) return badRequest(`Unknown setting "${key}".`);
    if (!SETTINGS_FIELDS[key](field)) return badRequest(`Invalid value for the setting "${key}".`);
    patch[key] = field;
  }
  return ok(patch as Partial<AppSettings>);
}
