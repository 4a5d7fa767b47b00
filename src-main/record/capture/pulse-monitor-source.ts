import type { ChildProcessByStdio } from 'node:child_process';
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { CodedError, Result } from '../../../src-shared/result';
import { fail, ok } from '../../../src-shared/result';
import type { AudioSource, CaptureFormat } from '../capture-types';
import type { PulseToolsOptions } from './pulse-sources';
import { inBackground } from '../../util/background';

export interface PulseMonitorOptions extends PulseToolsOptions {
  /** Asked of the server as parec's --latency-msec (default 50). */
  latencyMs?: number;
  /** How long `stop` waits for parec after SIGTERM before SIGKILL (default 2 s). */
  killGraceMs?: number;
  /**
   * The source's server index. When given, a `pactl subscribe` runs alongside parec and the source's
   * removal is reported as CAPTURE_DEVICE_LOST: otherwise PulseAudio silently moves the stream to the
   * default source (often the microphone) and parec has no option to forbid that.
   */
  sourceIndex?: number | undefined;
}

type Parec = ChildProcessByStdio<null, Readable, Readable>;
type Watcher = ChildProcessByStdio<null, Readable, null>;

const STDERR_TAIL_CHARS = 2000;

/**
 * Records a PulseAudio source (typically a sink's `.monitor`: what the speakers play, i.e. the other
 * participants) by running `parec` as float32le at the requested format. Works with pipewire-pulse.
 * Frames are delivered as whole interleaved frames, each callback a fresh array.
 */
export class PulseMonitorSource implements AudioSource {
  readonly format: CaptureFormat;
  readonly deviceName: string;
  private readonly sourceName: string;
  private readonly options: PulseMonitorOptions;
  private child: Parec | null = null;
  private watcher: Watcher | null = null;
  private state: 'idle' | 'running' | 'stopped' = 'idle';
  private stopping: Promise<void> | null = null;
  private exited: Promise<void> = Promise.resolve();
  private watcherExited: Promise<void> = Promise.resolve();
  private pending: Buffer = Buffer.alloc(0);
  private stderrTail = '';

  constructor(sourceName: string, format: CaptureFormat, deviceName: string = sourceName, options: PulseMonitorOptions = {}) {
    this.sourceName = sourceName;
    this.format = { sampleRate: format.sampleRate, channels: format.channels };
    this.deviceName = deviceName;
    this.options = options;
  }

  start(onFrames: (interleaved: Float32Array) => void, onError: (error: CodedError) => void): Promise<Result<void>> {
    if (this.state !== 'idle') return Promise.resolve(fail('CAPTURE_BAD_STATE', `${this.deviceName}: already ${this.state}`));
    this.state = 'running';
    const binary = this.options.parecPath ?? 'parec';
    const args = [
      `--device=${this.sourceName}`,
      '--format=float32le',
      `--rate=${this.format.sampleRate}`,
      `--channels=${this.format.channels}`,
      `--latency-msec=${this.options.latencyMs ?? 50}`,
      '--client-name=verbatim',
      '--stream-name=meeting capture',
    ];
    const child: Parec = spawn(binary, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...this.options.env },
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));

    child.stdout.on('data', (data: Buffer) => {
      if (this.state !== 'running') return;
      const frames = this.takeFrames(data);
      if (frames) onFrames(frames);
    });
    child.stderr.on('data', (data: Buffer) => {
      this.stderrTail = (this.stderrTail + data.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });

    if (this.options.sourceIndex !== undefined) {
      this.watchRemoval(this.options.sourceIndex, () => {
        if (this.state !== 'running') return;
        this.state = 'stopped';
        inBackground(this.end(child, this.exited));
        inBackground(this.end(this.watcher, this.watcherExited));
        onError({ code: 'CAPTURE_DEVICE_LOST', message: `${this.deviceName}: the source was removed`, subject: this.sourceName });
      });
    }

    return new Promise((resolve) => {
      let spawned = false;
      child.once('spawn', () => {
        spawned = true;
        resolve(ok(undefined));
      });
      child.once('error', (error: NodeJS.ErrnoException) => {
        if (spawned) return;
        this.state = 'stopped';
        inBackground(this.end(this.watcher, this.watcherExited));
        const missing = error.code === 'ENOENT' || error.code === 'EACCES';
        resolve(
          fail(
            'CAPTURE_MONITOR_UNAVAILABLE',
            missing
              ? `${binary} not found: install pulseaudio-utils (it works with PipeWire too)`
              : `${binary} failed to start: ${error.message}`,
            this.sourceName,
          ),
        );
      });
      child.once('close', (code, signal) => {
        // Only an exit nobody asked for is a fault; after stop() the exit is expected.
        if (!spawned || this.state !== 'running') return;
        this.state = 'stopped';
        inBackground(this.end(this.watcher, this.watcherExited));
        const why = this.stderrTail.trim().split('\n').slice(-2).join(' ') || `exit ${code ?? signal}`;
        onError({ code: 'CAPTURE_DEVICE_LOST', message: `${this.deviceName}: parec stopped: ${why}`, subject: this.sourceName });
      });
    });
  }

  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    this.state = 'stopped';
    this.stopping = Promise.all([this.end(this.child, this.exited), this.end(this.watcher, this.watcherExited)]).then(() => undefined);
    return this.stopping;
  }

  /** SIGTERM, SIGKILL after the grace period; resolves once the process is gone. */
  private end(child: Parec | Watcher | null, exited: Promise<void>): Promise<void> {
    if (!child || child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill('SIGTERM');
    const grace = setTimeout(() => child.kill('SIGKILL'), this.options.killGraceMs ?? 2000);
    return exited.then(() => clearTimeout(grace));
  }

  private watchRemoval(sourceIndex: number, onRemoved: () => void): void {
    const watcher: Watcher = spawn(this.options.pactlPath ?? 'pactl', ['subscribe'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, ...this.options.env, LC_ALL: 'C' },
    });
    this.watcher = watcher;
    this.watcherExited = new Promise((resolve) => watcher.once('close', () => resolve()));
    // Without pactl the removal goes unnoticed, which is no reason to refuse the capture.
    watcher.on('error', () => undefined);
    const removed = `Event 'remove' on source #${sourceIndex}`;
    let partial = '';
    watcher.stdout.on('data', (data: Buffer) => {
      const lines = (partial + data.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      if (lines.some((line) => line.trim() === removed)) onRemoved();
    });
  }

  /** Whole frames from the byte stream; a partial frame waits for the next read. */
  private takeFrames(data: Buffer): Float32Array | null {
    const bytes = this.pending.length > 0 ? Buffer.concat([this.pending, data]) : data;
    const frameBytes = 4 * this.format.channels;
    const usable = bytes.length - (bytes.length % frameBytes);
    this.pending = usable === bytes.length ? Buffer.alloc(0) : Buffer.from(bytes.subarray(usable));
    if (usable === 0) return null;
    const frames = new Float32Array(usable / 4);
    bytes.copy(new Uint8Array(frames.buffer), 0, 0, usable);
    return frames;
  }
}
