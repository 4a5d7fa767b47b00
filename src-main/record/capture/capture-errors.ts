/** Stable codes for everything the capture layer reports (as `CodedError.code`). */
export type CaptureErrorCode =
  /** The PortAudio addon could not be loaded (not built for this runtime, missing libasound). */
  | 'CAPTURE_BACKEND_UNAVAILABLE'
  /** No input device with that id, or no default input at all. */
  | 'CAPTURE_DEVICE_NOT_FOUND'
  /** The device exists but refused the stream (format, busy, permission). */
  | 'CAPTURE_OPEN_FAILED'
  /** `start` on a source that is already running or was stopped (sources are single-use). */
  | 'CAPTURE_BAD_STATE'
  /** The device stopped delivering audio while running (unplugged, daemon died, capture process exited). */
  | 'CAPTURE_DEVICE_LOST'
  /** Linux monitor capture needs PulseAudio's pactl/parec (pulseaudio-utils, also for PipeWire) and a server. */
  | 'CAPTURE_MONITOR_UNAVAILABLE';
