import { describe, expect, it } from 'vitest';
import { fail } from '../../../src-shared/result';
import { PulseMonitorSource } from '../../../src-main/record/capture/pulse-monitor-source';
import { listMonitorDevices, parsePlainSources } from '../../../src-main/record/capture/pulse-sources';
import { SystemCaptureBackend } from '../../../src-main/record/capture/system-capture-backend';

const noServer = { env: { PULSE_SERVER: 'unix:/nonexistent/verbatim-test/native' } };

describe('capture without PulseAudio or PortAudio', () => {
  it('no pactl → CAPTURE_MONITOR_UNAVAILABLE naming the package', async () => {
    const listed = await listMonitorDevices({ pactlPath: '/nonexistent/pactl' });
    expect(listed.ok).toBe(false);
    if (listed.ok) return;
    expect(listed.error.code).toBe('CAPTURE_MONITOR_UNAVAILABLE');
    expect(listed.error.message).toContain('pulseaudio-utils');
  });

  it('pactl present but no server → CAPTURE_MONITOR_UNAVAILABLE, not a crash', async (context) => {
    const probe = await listMonitorDevices(noServer);
    if (!probe.ok && probe.error.message.includes('not found')) context.skip(); // pactl itself is not installed here
    expect(probe.ok ? null : probe.error.code).toBe('CAPTURE_MONITOR_UNAVAILABLE');
  });

  it('no parec → start() returns CAPTURE_MONITOR_UNAVAILABLE and stop() is harmless', async () => {
    const source = new PulseMonitorSource('vsink.monitor', { sampleRate: 48000, channels: 2 }, 'monitor', {
      parecPath: '/nonexistent/parec',
    });
    const started = await source.start(
      () => undefined,
      () => undefined,
    );
    expect(started.ok ? null : started.error.code).toBe('CAPTURE_MONITOR_UNAVAILABLE');
    await source.stop();
    await source.stop();
  });

  it('the backend without the PortAudio addon: inputs are CAPTURE_BACKEND_UNAVAILABLE, opening a monitor still answers', async () => {
    const backend = new SystemCaptureBackend({
      loadNative: () => fail('CAPTURE_BACKEND_UNAVAILABLE', 'not built for this runtime'),
      pulse: { pactlPath: '/nonexistent/pactl' },
      platform: 'linux',
    });
    const listed = await backend.listDevices();
    expect(listed.ok ? null : listed.error.code).toBe('CAPTURE_BACKEND_UNAVAILABLE');
    const mic = await backend.open(null);
    expect(mic.ok ? null : mic.error.code).toBe('CAPTURE_BACKEND_UNAVAILABLE');
    const monitor = await backend.open('alsa_output.pci.monitor');
    expect(monitor.ok ? null : monitor.error.code).toBe('CAPTURE_MONITOR_UNAVAILABLE');
  });

  it('monitors are Linux only', async () => {
    const backend = new SystemCaptureBackend({ platform: 'darwin' });
    const monitors = await backend.listMonitors();
    expect(monitors.ok ? null : monitors.error.code).toBe('CAPTURE_MONITOR_UNAVAILABLE');
  });

  it("parses pactl's plain listing (pactl before 16 has no JSON)", () => {
    const text = [
      'Source #0',
      '\tState: SUSPENDED',
      '\tName: alsa_output.pci-0000_00_1f.3.analog-stereo.monitor',
      '\tDescription: Monitor of Built-in Audio Analog Stereo',
      '\tSample Specification: s16le 2ch 44100Hz',
      '\tMonitor of Sink: alsa_output.pci-0000_00_1f.3.analog-stereo',
      'Source #1',
      '\tState: RUNNING',
      '\tName: alsa_input.usb-mic.mono-fallback',
      '\tDescription: USB Microphone Mono',
      '\tSample Specification: s32le 1ch 48000Hz',
      '\tMonitor of Sink: n/a',
      '',
    ].join('\n');
    expect(parsePlainSources(text)).toEqual([
      {
        index: 0,
        name: 'alsa_output.pci-0000_00_1f.3.analog-stereo.monitor',
        description: 'Monitor of Built-in Audio Analog Stereo',
        sampleRate: 44100,
        channels: 2,
        monitorOfSink: 'alsa_output.pci-0000_00_1f.3.analog-stereo',
      },
      {
        index: 1,
        name: 'alsa_input.usb-mic.mono-fallback',
        description: 'USB Microphone Mono',
        sampleRate: 48000,
        channels: 1,
        monitorOfSink: null,
      },
    ]);
  });
});
