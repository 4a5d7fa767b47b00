import { useShallow } from 'zustand/react/shallow';
import { ErrorMessage } from '../ErrorMessage';
import { friendlyDeviceName, friendlyInputs, systemAudioHint } from '../../store/devices';
import { LANGUAGE_OPTIONS, languageToValue, valueToLanguage } from '../../store/languages';
import { useApp } from '../../store/store-context';

/** Microphone, system audio and language for the next recording (locked while one runs). */
export function CaptureOptions(): React.JSX.Element {
  const { devices, devicesLoaded, devicesError, capture, setCapture, locked, platform } = useApp(
    useShallow((state) => ({
      platform: state.engineInfo?.platform ?? null,
      devices: state.devices,
      devicesLoaded: state.devicesLoaded,
      devicesError: state.devicesError,
      capture: state.capture,
      setCapture: state.setCapture,
      locked: state.recordingStatus !== 'idle' || state.pendingAction !== null,
    })),
  );
  const inputs = friendlyInputs(devices);
  const monitors = devices.filter((device) => device.kind === 'monitor');

  return (
    <fieldset className="capture-options" disabled={locked}>
      <legend className="visually-hidden">Recording options</legend>
      <label className="field">
        <span>Microphone</span>
        <select
          data-testid="input-device-select"
          value={capture.inputDeviceId ?? ''}
          onChange={(event) => setCapture({ inputDeviceId: event.target.value === '' ? null : event.target.value })}
        >
          <option value="">System default</option>
          {inputs.map((device) => (
            <option key={device.id} value={device.id}>
              {device.label}
            </option>
          ))}
        </select>
      </label>
      <div className="field">
        <label className="checkbox">
          <input
            type="checkbox"
            data-testid="system-audio-toggle"
            checked={capture.systemAudio}
            disabled={monitors.length === 0}
            onChange={(event) => setCapture({ systemAudio: event.target.checked })}
          />
          <span>Also record system audio</span>
        </label>
        {monitors.length > 0 ? (
          <select
            aria-label="System audio source"
            data-testid="monitor-device-select"
            value={capture.monitorDeviceId ?? ''}
            disabled={!capture.systemAudio}
            onChange={(event) => setCapture({ monitorDeviceId: event.target.value === '' ? null : event.target.value })}
          >
            {monitors.map((device) => (
              <option key={device.id} value={device.id}>
                {friendlyDeviceName(device) ?? device.name}
              </option>
            ))}
          </select>
        ) : (
          devicesLoaded && (
            <span className="hint" data-testid="system-audio-hint">
              {systemAudioHint(platform)}
            </span>
          )
        )}
      </div>
      <label className="field">
        <span>Language</span>
        <select
          data-testid="language-select"
          value={languageToValue(capture.language)}
          onChange={(event) => setCapture({ language: valueToLanguage(event.target.value) })}
        >
          {LANGUAGE_OPTIONS.map((option) => (
            <option key={option.code ?? 'auto'} value={languageToValue(option.code)}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
      <ErrorMessage error={devicesError} prefix="Could not list audio devices:" />
    </fieldset>
  );
}
