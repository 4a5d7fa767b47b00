import { errorMessage } from '../../../src-shared/errors';
import type { Result } from '../../../src-shared/result';
import { fail, ok } from '../../../src-shared/result';
import type { AudioSource, CaptureBackend, CaptureDevice, CaptureFormat, MonitorCaptureOptions } from '../capture-types';
import type { DualSourceOptions } from './dual-source';
import { DualSource } from './dual-source';
import type { NativeDeviceInfo, PortAudioNative } from './portaudio-native';
import { loadPortAudio } from './portaudio-native';
import type { PortAudioSourceOptions } from './portaudio-source';
import { PortAudioSource } from './portaudio-source';
import type { PulseMonitorOptions } from './pulse-monitor-source';
import { PulseMonitorSource } from './pulse-monitor-source';
import { listMonitorDevices, listPulseSources } from './pulse-sources';

export interface SystemCaptureOptions {
  portAudio?: PortAudioSourceOptions;
  /** Linux monitor capture through pactl/parec. */
  pulse?: PulseMonitorOptions;
  /** Buffering of the monitor channel in `openWithMonitor` (FIFO size, jitter allowance). */
  dual?: Omit<DualSourceOptions, 'onSecondaryFault' | 'deviceName'>;
  /** Default: process.platform; monitors are listed on 'linux' only. */
  platform?: NodeJS.Platform;
  /** For tests: an addon stand-in or a load failure. */
  loadNative?: () => Result<PortAudioNative>;
}

/** Channels we ask of an input that reports more (ALSA's "default"/"pulse" devices claim 32). */
const MAX_NATIVE_CHANNELS = 2;
/** PortAudio's paNoDevice as naudiodon reports it (unsigned). */
const NO_DEVICE = 0xffffffff;

/**
 * Microphones through PortAudio (naudiodon) with ids that are PortAudio device indexes, plus, on Linux,
 * PulseAudio/PipeWire monitor sources (kind 'monitor') with ids that are source names. `open` tells the
 * two apart by the id: digits = PortAudio, anything else = a PulseAudio source.
 */
export class SystemCaptureBackend implements CaptureBackend {
  private readonly options: SystemCaptureOptions;

  constructor(options: SystemCaptureOptions = {}) {
    this.options = options;
  }

  /** Inputs, then monitors; a missing half is left out, and only when both fail is that an error. */
  async listDevices(): Promise<Result<CaptureDevice[]>> {
    const inputs = this.listInputs();
    const monitors = this.monitorsSupported() ? await this.listMonitors() : ok<CaptureDevice[]>([]);
    if (!inputs.ok) return monitors.ok && monitors.value.length > 0 ? monitors : inputs;
    return ok([...inputs.value, ...(monitors.ok ? monitors.value : [])]);
  }

  /** PortAudio's input devices; the default input is marked. */
  listInputs(): Result<CaptureDevice[]> {
    const native = this.native();
    if (!native.ok) return native;
    let devices: NativeDeviceInfo[];
    let defaultIndex: number | null;
    try {
      devices = native.value.getDevices();
      defaultIndex = defaultInputIndex(native.value);
    } catch (error) {
      return fail('CAPTURE_BACKEND_UNAVAILABLE', `PortAudio could not list devices: ${errorMessage(error)}`);
    }
    return ok(
      devices
        .filter((device) => device.maxInputChannels > 0)
        .map((device) => ({
          id: String(device.id),
          name: device.name,
          kind: 'input' as const,
          maxInputChannels: device.maxInputChannels,
          defaultSampleRate: device.defaultSampleRate,
          isDefault: device.id === defaultIndex,
        })),
    );
  }

  /** PulseAudio/PipeWire monitor sources (Linux); CAPTURE_MONITOR_UNAVAILABLE without pactl or a server. */
  async listMonitors(): Promise<Result<CaptureDevice[]>> {
    if (!this.monitorsSupported())
      return fail('CAPTURE_MONITOR_UNAVAILABLE', 'monitor sources are captured through PulseAudio, on Linux only');
    return listMonitorDevices(this.options.pulse);
  }

  async open(deviceId: string | null, preferred: Partial<CaptureFormat> = {}): Promise<Result<AudioSource>> {
    if (deviceId !== null && !/^\d+$/.test(deviceId)) return this.openMonitor(deviceId, preferred);
    const native = this.native();
    if (!native.ok) return native;
    let device: NativeDeviceInfo | undefined;
    try {
      const index = deviceId === null ? defaultInputIndex(native.value) : Number(deviceId);
      device = native.value.getDevices().find((candidate) => candidate.id === index && candidate.maxInputChannels > 0);
    } catch (error) {
      return fail('CAPTURE_BACKEND_UNAVAILABLE', `PortAudio could not list devices: ${errorMessage(error)}`);
    }
    if (!device) {
      return fail(
        'CAPTURE_DEVICE_NOT_FOUND',
        deviceId === null ? 'there is no default input device' : `no input device ${deviceId}`,
        deviceId ?? undefined,
      );
    }
    const format = {
      sampleRate: preferred.sampleRate ?? device.defaultSampleRate,
      channels: preferred.channels ?? Math.min(device.maxInputChannels, MAX_NATIVE_CHANNELS),
    };
    return PortAudioSource.open(native.value, device.id, device.name, format, this.options.portAudio);
  }

  /**
   * The microphone (`open`'s rules for the id) as channel 0 and a PulseAudio monitor source as channel 1,
   * at the microphone's rate. A monitor that cannot be opened fails the whole call with its own error
   * rather than quietly recording the microphone alone.
   */
  async openWithMonitor(
    micDeviceId: string | null,
    monitorDeviceId: string,
    options: MonitorCaptureOptions = {},
  ): Promise<Result<AudioSource>> {
    const monitor = await this.openMonitor(monitorDeviceId, {});
    if (!monitor.ok) return monitor;
    const mic = await this.open(micDeviceId);
    if (!mic.ok) {
      await monitor.value.stop();
      return mic;
    }
    const onMonitorFault = options.onMonitorFault;
    return ok(
      new DualSource(mic.value, monitor.value, {
        ...this.options.dual,
        onSecondaryFault: onMonitorFault
          ? (error) => onMonitorFault({ ...error, message: `${error.message}; recording continues with the microphone only` })
          : undefined,
      }),
    );
  }

  private async openMonitor(sourceName: string, preferred: Partial<CaptureFormat>): Promise<Result<AudioSource>> {
    if (!this.monitorsSupported())
      return fail('CAPTURE_MONITOR_UNAVAILABLE', 'monitor sources are captured through PulseAudio, on Linux only');
    const sources = await listPulseSources(this.options.pulse);
    if (!sources.ok) return sources;
    // Any source can be recorded this way, though the ids `listMonitors` hands out are monitors.
    const source = sources.value.find((candidate) => candidate.name === sourceName);
    if (!source) return fail('CAPTURE_DEVICE_NOT_FOUND', `no PulseAudio source ${sourceName}`, sourceName);
    const format = {
      sampleRate: preferred.sampleRate ?? source.sampleRate,
      channels: preferred.channels ?? source.channels,
    };
    const options = { ...this.options.pulse, sourceIndex: source.index >= 0 ? source.index : this.options.pulse?.sourceIndex };
    return ok(new PulseMonitorSource(source.name, format, source.description || source.name, options));
  }

  private monitorsSupported(): boolean {
    return (this.options.platform ?? process.platform) === 'linux';
  }

  private native(): Result<PortAudioNative> {
    return (this.options.loadNative ?? loadPortAudio)();
  }
}

/** The default host API's default input, as a global device index; null when there is none. */
function defaultInputIndex(native: PortAudioNative): number | null {
  const apis = native.getHostAPIs();
  const index = apis.HostAPIs[apis.defaultHostAPI]?.defaultInput;
  return index === undefined || index === NO_DEVICE || index < 0 ? null : index;
}
