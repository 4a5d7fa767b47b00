import type { CodedError, Result } from '../../src-shared/result';

export interface CaptureDevice {
  /** Stable id to pass back to `open` (PortAudio device index as a string, or a PulseAudio source name). */
  id: string;
  name: string;
  /** 'input' = a microphone-like device; 'monitor' = what the speakers play (other participants). */
  kind: 'input' | 'monitor';
  maxInputChannels: number;
  defaultSampleRate: number;
  isDefault: boolean;
}

export interface CaptureFormat {
  sampleRate: number;
  channels: number;
}

/**
 * A running capture. Frames arrive as interleaved float32 at the device's native format, in callback
 * order, from whatever thread the backend uses (always delivered on the JS event loop).
 */
export interface AudioSource {
  readonly format: CaptureFormat;
  readonly deviceName: string;
  /** Starts delivering frames; `onError` reports a device fault (unplugged, daemon died). */
  start(onFrames: (interleaved: Float32Array) => void, onError: (error: CodedError) => void): Promise<Result<void>>;
  /** Stops and releases the device; no callback fires after it resolves. Idempotent. */
  stop(): Promise<void>;
}

export interface CaptureBackend {
  listDevices(): Promise<Result<CaptureDevice[]>>;
  /** null = the system default input. */
  open(deviceId: string | null, preferred?: Partial<CaptureFormat>): Promise<Result<AudioSource>>;
}
