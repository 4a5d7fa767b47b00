import type { CaptureDevice } from '../../src-shared/recording-events';
import type { CodedError, Result } from '../../src-shared/result';

export type { CaptureDevice };

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

export interface MonitorCaptureOptions {
  onMonitorFault?: (error: CodedError) => void;
}

export interface CaptureBackend {
  listDevices(): Promise<Result<CaptureDevice[]>>;
  /** null = the system default input. */
  open(deviceId: string | null, preferred?: Partial<CaptureFormat>): Promise<Result<AudioSource>>;
  /**
   * The microphone and a system-audio monitor as one 2-channel source (mic = 0, monitor = 1), where
   * supported. A monitor that fails mid-recording is not fatal: it goes to `onMonitorFault` and the
   * recording continues with silence in channel 1.
   */
  openWithMonitor?(micDeviceId: string | null, monitorDeviceId: string, options?: MonitorCaptureOptions): Promise<Result<AudioSource>>;
}
