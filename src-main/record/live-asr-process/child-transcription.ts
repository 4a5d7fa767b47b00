/**
 * Live transcription in a child process of its own (app/live-asr-child.ts), as the recording session sees
 * it. A process rather than a thread of the app: onnxruntime-node blocks the thread it runs on, a native
 * crash in inference takes down only the transcriber while the app keeps capturing and writing the WAV,
 * and the child starts with the engine child's allocator settings (engineChildEnv), which a thread of the
 * app's main process cannot have: without them glibc keeps a decode's freed tensors resident and the
 * process grew to 645 MB over bench:live's 180 s.
 */
import type { RecordingEvent } from '../../../src-shared/recording-events';
import { fail, ok, type Result } from '../../../src-shared/result';
import { inBackground } from '../../util/background';
import { EngineChildHandle } from '../../util/engine-child/engine-child-handle';
import { engineChildTarget, forkLauncher, type EngineChildLauncher } from '../../util/engine-child/engine-child-process';
import type { LiveTranscription, OpenedTranscription } from '../session-ports';
import { isFromLiveAsrChild, type FromLiveAsrChild, type LiveAsrChildConfig, type ToLiveAsrChild } from './protocol';

const RELEASE_TIMEOUT_MS = 15_000;

type LiveAsrChild = EngineChildHandle<FromLiveAsrChild, ToLiveAsrChild>;

/** Starts the child and waits until its models are loaded (or failed to). */
export async function openChildTranscription(
  config: LiveAsrChildConfig,
  emit: (event: RecordingEvent) => void,
  launcher: EngineChildLauncher = forkLauncher,
): Promise<Result<OpenedTranscription>> {
  const target = engineChildTarget('live-asr-child');
  if (!target.ok) return fail('ASR_WORKER_MISSING', target.error.message);
  const launched = launcher({
    modulePath: target.value.modulePath,
    args: [...target.value.args, JSON.stringify(config)],
    serialization: 'advanced',
  });
  if (!launched.ok) return fail('ASR_WORKER_FAILED', launched.error.message);
  const child: LiveAsrChild = new EngineChildHandle(launched.value, isFromLiveAsrChild);
  let stopListening: () => void = () => undefined;
  const opened = await new Promise<Result<void>>((resolve) => {
    stopListening = child.onMessage((message) => {
      if (message.type === 'opened') resolve(ok(undefined));
      else if (message.type === 'open-failed') resolve({ ok: false, error: message.error });
      // Reported while loading (the speaker model failed: the recording goes on unlabelled).
      else if (message.type === 'event') emit(message.event);
    });
    inBackground(
      child.exited.then(() =>
        resolve(fail('ASR_WORKER_FAILED', `The live transcription process ${child.describeExit()} while loading its models.`)),
      ),
    );
  });
  stopListening();
  if (!opened.ok) {
    child.kill();
    await child.exited;
    return opened;
  }
  child.hold(true);
  const transcription = new ChildTranscription(child, emit);
  return ok({ transcription, release: () => transcription.release() });
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

/** The session's view of the child: the same calls as an in-process LiveTranscriber, as messages. */
class ChildTranscription implements LiveTranscription {
  position = 0;
  segmentsCommitted = 0;
  detectedLanguage: string | null = null;
  private nextId = 0;
  private readonly waiting = new Map<number, Waiter>();
  private dead: Error | null = null;
  private releasing: Promise<void> | null = null;

  constructor(
    private readonly child: LiveAsrChild,
    private readonly emit: (event: RecordingEvent) => void,
  ) {
    child.onMessage((message) => this.onMessage(message));
    inBackground(
      child.exited.then(() => {
        if (!this.releasing) this.die(new Error(`The live transcription process ${child.describeExit()} unexpectedly.`));
      }),
    );
  }

  push(samples: Float32Array): Promise<void> {
    this.position += samples.length;
    // Cloned on the way: the caller's view into the ring may be overwritten as soon as this returns.
    return this.call((id) => ({ type: 'push', id, samples }));
  }

  skip(from: number, to: number): void {
    this.position = to;
    if (!this.dead) this.child.send({ type: 'skip', from, to });
  }

  async flush(): Promise<void> {
    if (this.dead) return;
    await this.call((id) => ({ type: 'flush', id }));
  }

  /** Disposes the child's ORT sessions and lets it exit (killed if it does not, in time). */
  release(): Promise<void> {
    this.releasing ??= (async () => {
      if (!this.dead) {
        this.child.send({ type: 'release' });
        const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), RELEASE_TIMEOUT_MS).unref());
        if ((await Promise.race([this.child.exited.then(() => 'exited' as const), timeout])) === 'timeout') this.child.kill();
      } else {
        this.child.kill();
      }
      await this.child.exited;
      this.child.hold(false);
      this.die(new Error('The live transcription was released.'));
    })();
    return this.releasing;
  }

  private call(message: (id: number) => ToLiveAsrChild): Promise<void> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // A message the channel cannot take means a dead child: it is killed, and its exit fails what waits.
      this.child.send(message(id));
    });
  }

  private onMessage(message: FromLiveAsrChild): void {
    switch (message.type) {
      case 'event':
        this.emit(message.event);
        return;
      case 'done': {
        this.segmentsCommitted = message.segmentsCommitted;
        this.detectedLanguage = message.detectedLanguage;
        const waiter = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        waiter?.resolve();
        return;
      }
      case 'failed': {
        const waiter = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        waiter?.reject(new Error(message.message));
        return;
      }
      default:
        return;
    }
  }

  private die(error: Error): void {
    if (this.dead) return;
    this.dead = error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
