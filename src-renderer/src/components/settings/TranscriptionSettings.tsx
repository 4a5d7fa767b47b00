import { useShallow } from 'zustand/react/shallow';
import { LANGUAGE_OPTIONS, languageToValue, valueToLanguage } from '../../store/languages';
import { useApp } from '../../store/store-context';
import { ErrorMessage } from '../ErrorMessage';
import { SaveStatusText } from './SaveStatusText';
import { useSaveSettings } from './use-save-status';

export function TranscriptionSettings(): React.JSX.Element | null {
  const { settings, engineInfo, engineInfoError, loadEngineInfo, adoptCaptureDefaults } = useApp(
    useShallow((state) => ({
      settings: state.settings,
      engineInfo: state.engineInfo,
      engineInfoError: state.engineInfoError,
      loadEngineInfo: state.loadEngineInfo,
      adoptCaptureDefaults: state.adoptCaptureDefaults,
    })),
  );
  const { status, save } = useSaveSettings();
  if (settings === null) return null;
  const provider = engineInfo?.executionProvider;

  return (
    <section className="settings-section" aria-labelledby="transcription-title">
      <h2 id="transcription-title">Transcription</h2>
      <label className="field field-inline">
        <span>Default language</span>
        <select
          data-testid="settings-language"
          value={languageToValue(settings.language)}
          onChange={async (event) => {
            const saved = await save({ language: valueToLanguage(event.target.value) });
            if (saved !== null) adoptCaptureDefaults(saved);
          }}
        >
          {LANGUAGE_OPTIONS.map((option) => (
            <option key={option.code ?? 'auto'} value={languageToValue(option.code)}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          data-testid="settings-gpu"
          checked={settings.useGpu}
          onChange={async (event) => {
            await save({ useGpu: event.target.checked });
            await loadEngineInfo();
          }}
        />
        <span>Use the GPU when one is available</span>
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          data-testid="settings-find-speakers"
          checked={settings.findSpeakers}
          onChange={async (event) => {
            await save({ findSpeakers: event.target.checked });
          }}
        />
        <span>Find who spoke when after each recording and import</span>
      </label>
      {provider !== undefined && (
        <p className="hint" data-testid="engine-provider">
          Running on <strong>{provider.active}</strong>
          {provider.requested !== provider.active && ` (asked for ${provider.requested})`}.
          {provider.fallbackReason !== null && ` ${provider.fallbackReason}`}
        </p>
      )}
      <ErrorMessage error={engineInfoError} prefix="Could not read the engine status:" />
      <SaveStatusText status={status} />
    </section>
  );
}
