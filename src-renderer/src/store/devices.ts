/**
 * Capture devices as people know them. PortAudio lists ALSA's plug-ins by their internal names: "default"
 * is the system default (already offered as "System default"), "pulse" is the PulseAudio/PipeWire mixer,
 * "sysdefault" the first sound card; hardware names end in "(hw:0,0)". Those names are shown in words, and
 * duplicates of the system default are left out.
 */
import type { CaptureDevice } from '../../../src-shared/recording-events';

const PLUGIN_NAMES: Readonly<Record<string, string | null>> = {
  default: null,
  sysdefault: 'First sound card (ALSA)',
  pulse: 'Sound server (PulseAudio / PipeWire)',
  pipewire: 'Sound server (PipeWire)',
  jack: 'JACK audio server',
  dmix: null,
  dsnoop: null,
};

export function friendlyDeviceName(device: Pick<CaptureDevice, 'name'>): string | null {
  const name = device.name.trim();
  const plugin = PLUGIN_NAMES[name.toLowerCase()];
  if (plugin !== undefined) return plugin;
  return name.replace(/\s*\((hw|plughw):\d+(,\d+)?\)\s*$/i, '').trim() || name;
}

/** Inputs to offer by name, without the ones that are only another spelling of "System default". */
export function friendlyInputs(devices: readonly CaptureDevice[]): { id: string; label: string }[] {
  const seen = new Set<string>();
  const inputs: { id: string; label: string }[] = [];
  for (const device of devices) {
    if (device.kind !== 'input') continue;
    const label = friendlyDeviceName(device);
    if (label === null || seen.has(label)) continue;
    seen.add(label);
    inputs.push({ id: device.id, label });
  }
  return inputs;
}

/** Where system audio comes from, said for the platform the engine runs on. */
export function systemAudioHint(platform: string | null): string {
  if (platform === 'linux')
    return 'No system-audio source was found. Recording what the other side says needs PulseAudio or PipeWire with its monitor sources.';
  if (platform === 'darwin') return 'Recording system audio is not available on macOS yet; the microphone is recorded.';
  if (platform === 'win32') return 'Recording system audio is not available on Windows yet; the microphone is recorded.';
  return 'No system-audio source was found on this computer.';
}
