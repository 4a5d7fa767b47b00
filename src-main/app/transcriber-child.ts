/**
 * The transcriber child process: runs file transcriptions (ffmpeg decode, VAD, Whisper on onnxruntime)
 * and diarizations (segmentation and speaker-embedding models) away from the app's main event loop, one
 * request at a time. The engine stays alive between requests,
 * so its model stays warm; the engine's warm recognizer reuses the same model and dtype and disposes the
 * old one when another is asked for. The child ends when the app says `shutdown` or when its IPC
 * channel closes (the app exited or was killed), so it never outlives the app. In the Electron app it runs
 * as a utilityProcess (Electron ends it with the app) and talks through process.parentPort.
 */
import { fail, type Result } from '../../src-shared/result';
import type { Transcript } from '../../src-shared/transcript';
import type { ExecutionPreference } from '../onnx/execution-provider';
import type { FileDiarization } from '../diarization/file-diarizer';
import { createFileDiarizer } from './diarizer';
import { createEngine, type Engine } from './engine';
import {
  decodeChildOptions,
  isToTranscriberChild,
  type DiarizeRequestMessage,
  type FromTranscriberChild,
  type TranscribeRequestMessage,
} from '../jobs/transcriber-process/protocol';
import { inBackground } from '../util/background';
import { parentChannel, type ParentChannel } from './parent-channel';
import { errorMessage } from '../../src-shared/errors';

const PROGRESS_INTERVAL_MS = 100;

const maybeParent = parentChannel<FromTranscriberChild>();
if (maybeParent === null) {
  process.stderr.write(
    'transcriber-child must be started by the app (child_process.fork or Electron utilityProcess: it needs a channel)\n',
  );
  process.exit(2);
}
const parent: ParentChannel<FromTranscriberChild> = maybeParent;

const options = decodeChildOptions(process.argv.at(-1));
const defaultDevice: ExecutionPreference = options.device ?? 'auto';
const running = new Map<string, AbortController>();
let current: { device: ExecutionPreference; engine: Engine } | null = null;
let queue: Promise<void> = Promise.resolve();
let shuttingDown = false;

function post(message: FromTranscriberChild): void {
  try {
    parent.send(message);
  } catch {
    // The channel closed under us; 'disconnect' ends this process.
  }
}

/** One engine per device: a request for another device disposes the current engine first. */
async function engineFor(device: ExecutionPreference): Promise<Engine> {
  if (current?.device === device) return current.engine;
  const previous = current;
  current = null;
  await previous?.engine.dispose();
  const engine = createEngine({
    device,
    modelsDir: options.modelsDir || undefined,
    extraModelDirs: options.extraModelDirs,
    ffmpegPath: options.ffmpegPath || undefined,
    ffprobePath: options.ffprobePath || undefined,
    hubUrl: options.hubUrl || undefined,
  });
  current = { device, engine };
  return engine;
}

async function transcribe(request: TranscribeRequestMessage, signal: AbortSignal): Promise<Result<Transcript>> {
  if (signal.aborted) return fail('CANCELLED', `Transcription of ${request.path} was cancelled.`, request.path);
  const engine = await engineFor(request.device ?? defaultDevice);
  let lastStage = '';
  let lastSentAt = 0;
  const { path, modelId, modelDir, dtype, language, task, prompt, channel } = request;
  return engine.transcribeFile(
    { path, modelId, modelDir, dtype, language, task, prompt, channel },
    ({ stage, percent, segments }) => {
      const now = Date.now();
      // New segments always go out (a preview shown as they come); bare progress is throttled.
      const fresh = segments !== undefined && segments.length > 0;
      if (!fresh && stage === lastStage && now - lastSentAt < PROGRESS_INTERVAL_MS) return;
      lastStage = stage;
      lastSentAt = now;
      post({ type: 'progress', requestId: request.requestId, stage, percent, segments: fresh ? segments : undefined });
    },
    signal,
  );
}

/** The models are loaded for each run and disposed after it (OnnxFileDiarizer does both). */
async function diarize(request: DiarizeRequestMessage, signal: AbortSignal): Promise<Result<FileDiarization>> {
  const created = createFileDiarizer({
    device: request.device,
    modelsDir: options.modelsDir || undefined,
    extraModelDirs: options.extraModelDirs,
    hubUrl: options.hubUrl || undefined,
    ffmpegPath: options.ffmpegPath || undefined,
    ffprobePath: options.ffprobePath || undefined,
  });
  if (!created.ok) return created;
  const { diarizer } = created.value;
  let lastSentAt = 0;
  return diarizer.diarize(
    { path: request.path, speakers: request.speakers, channel: request.channel },
    ({ stage, percent }) => {
      const now = Date.now();
      if (percent < 100 && now - lastSentAt < PROGRESS_INTERVAL_MS) return;
      lastSentAt = now;
      post({ type: 'diarize-progress', requestId: request.requestId, stage, percent });
    },
    signal,
  );
}

/** Runs requests strictly one after another; each answers exactly once, even when it throws. */
function enqueue<T>(
  requestId: string,
  run: (signal: AbortSignal) => Promise<Result<T>>,
  onError: (error: unknown) => Result<T>,
  answer: (result: Result<T>) => void,
): void {
  const controller = new AbortController();
  running.set(requestId, controller);
  queue = queue.then(async () => {
    let result: Result<T>;
    try {
      result = await run(controller.signal);
    } catch (error) {
      result = onError(error);
    }
    running.delete(requestId);
    answer(result);
  });
}

function handleTranscribe(request: TranscribeRequestMessage): void {
  enqueue<Transcript>(
    request.requestId,
    (signal) => transcribe(request, signal),
    (error) => fail('ASR_FAILED', `Transcribing ${request.path} failed: ${errorMessage(error)}`, request.path),
    (result) => post({ type: 'result', requestId: request.requestId, result }),
  );
}

function handleDiarize(request: DiarizeRequestMessage): void {
  enqueue<FileDiarization>(
    request.requestId,
    (signal) => diarize(request, signal),
    (error) => fail('DIARIZATION_FAILED', `Diarizing ${request.path} failed: ${errorMessage(error)}`, request.path),
    (result) => post({ type: 'diarized', requestId: request.requestId, result }),
  );
}

function abortAll(): void {
  for (const controller of running.values()) controller.abort();
}

async function shutdown(): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  abortAll();
  await queue;
  await current?.engine.dispose();
  process.exit(0);
}

parent.onMessage((message: unknown) => {
  if (!isToTranscriberChild(message) || shuttingDown) return;
  switch (message.type) {
    case 'transcribe':
      handleTranscribe(message);
      return;
    case 'diarize':
      handleDiarize(message);
      return;
    case 'cancel':
      running.get(message.requestId)?.abort();
      return;
    case 'shutdown':
      inBackground(shutdown());
      return;
  }
});

// The app is gone (exited, crashed or killed -9): stop at once. Aborting kills any ffmpeg this process
// started (the decoder kills its child on abort, synchronously), so nothing is left behind.
parent.onDisconnect(() => {
  abortAll();
  process.exit(0);
});
