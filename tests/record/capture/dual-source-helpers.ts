import type { CodedError, Result } from '../../../src-shared/result';
import { ok } from '../../../src-shared/result';
import type { AudioSource, CaptureFormat } from '../../../src-main/record/capture-types';
import type { DualSource } from '../../../src-main/record/capture/dual-source';

/** A source the test drives by hand: `push` and `fail` reach the consumer synchronously, even after stop. */
export class ManualSource implements AudioSource {
  readonly format: CaptureFormat;
  readonly deviceName: string;
  started = false;
  stopCalls = 0;
  private deliver: ((interleaved: Float32Array) => void) | null = null;
  private report: ((error: CodedError) => void) | null = null;

  constructor(
    format: CaptureFormat,
    name = 'manual',
    private readonly startResult: Result<void> = ok(undefined),
  ) {
    this.format = format;
    this.deviceName = name;
  }

  start(onFrames: (interleaved: Float32Array) => void, onError: (error: CodedError) => void): Promise<Result<void>> {
    if (!this.startResult.ok) return Promise.resolve(this.startResult);
    this.started = true;
    this.deliver = onFrames;
    this.report = onError;
    return Promise.resolve(ok(undefined));
  }

  stop(): Promise<void> {
    this.stopCalls++;
    return Promise.resolve();
  }

  push(interleaved: Float32Array): void {
    this.deliver?.(interleaved);
  }

  fail(error: CodedError): void {
    this.report?.(error);
  }
}

export interface Captured {
  chunks: Float32Array[];
  errors: CodedError[];
  faults: CodedError[];
  /** The most the FIFO held, seen from each output callback. */
  maxBuffered: number;
}

export async function startDual(dual: DualSource, captured: Captured): Promise<void> {
  const started = await dual.start(
    (frames) => {
      captured.chunks.push(frames);
      captured.maxBuffered = Math.max(captured.maxBuffered, dual.bufferedFrames);
    },
    (error) => captured.errors.push(error),
  );
  if (!started.ok) throw new Error(`${started.error.code}: ${started.error.message}`);
}

export function newCapture(): Captured {
  return { chunks: [], errors: [], faults: [], maxBuffered: 0 };
}

export function channel(chunks: Float32Array[], index: 0 | 1): Float32Array {
  const frames = chunks.reduce((n, chunk) => n + chunk.length / 2, 0);
  const out = new Float32Array(frames);
  let at = 0;
  for (const chunk of chunks) {
    for (let i = index; i < chunk.length; i += 2) out[at++] = chunk[i]!;
  }
  return out;
}

export function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Deterministic noise in [-amplitude, amplitude] (an LCG), so every sample is distinct from its neighbours. */
export function noise(length: number, seed: number, amplitude = 0.5): Float32Array {
  let state = seed >>> 0;
  return Float32Array.from({ length }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32 - 0.5) * 2 * amplitude;
  });
}

export function countZeros(samples: Float32Array): number {
  let zeros = 0;
  for (const sample of samples) if (sample === 0) zeros++;
  return zeros;
}

export function countNonZero(samples: Float32Array): number {
  return samples.length - countZeros(samples);
}
