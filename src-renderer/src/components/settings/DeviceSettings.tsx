import { useShallow } from 'zustand/react/shallow';
import { friendlyDeviceName, friendlyInputs, systemAudioHint } from '../../store/devices';
import { useApp } from '../../store/store-context';
import { ErrorMessage } from '../ErrorMessage';
import { SaveStatusText } from './SaveStatusText';
import { useSaveSettings } from './use-save-status';

export function DeviceSettings(): React.JSX.Element | null {
  const { settings, devices, devicesError, loadDevices, adoptCaptureDefaults, platform } = useApp(
    useShallow((state) => ({
      platform: state.engineInfo?.platform ?? null,
      settings: state.settings,
      devices: state.devices,
      devicesError: state.devicesError,
      loadDevices: state.loadDevices,
      adoptCaptureDefaults: state.adoptCaptureDefaults,
    })),
  );
  const { status, save } = useSaveSettings();
  if (settings === null) return null;
  const inputs = friendlyInputs(devices);
  const monitors = devices.filter((device) => device.kind === 'monitor');

  async function saveDevices(patch: { inputDeviceId?: string | null; monitorDeviceId?: string | null }): Promise<void> {
    const saved = await save(patch);
    if (saved !== null) adoptCaptureDefaults(saved);
  }

  return (
    <section className="settings-section" aria-labelledby="devices-title">
      <h2 id="devices-title">Recording devices</h2>
      <label className="field field-inline">
        <span>Microphone</span>
        <select
          data-testid="settings-input-device"
          value={settings.inputDeviceId ?? ''}
          onChange={(event) => void saveDevices({ inputDeviceId: event.target.value === '' ? null : event.target.value })}
        >
          <option value="">System default</option>
          {inputs.map((device) => (
            <option key={device.id} value={device.id}>
              {device.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field field-inline">
        <span>System audio</span>
        <select
          data-testid="settings-monitor-device"
          value={settings.monitorDeviceId ?? ''}
          disabled={monitors.length === 0}
          onChange={(event) => void saveDevices({ monitorDeviceId: event.target.value === '' ? null : event.target.value })}
        >
          <option value="">Do not record system audio</option>
          {monitors.map((device) => (
            <option key={device.id} value={device.id}>
              {friendlyDeviceName(device) ?? device.name}
            </option>
          ))}
        </select>
      </label>
      {monitors.length === 0 && (
        <p className="hint" data-testid="settings-system-audio-hint">
          {systemAudioHint(platform)}
        </p>
      )}
      <button type="button" className="btn btn-small" onClick={() => void loadDevices()}>
        Refresh devices
      </button>
      <ErrorMessage error={devicesError} prefix="Could not list audio devices:" />
      <SaveStatusText status={status} />
    </section>
  );
}
