import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { LANGUAGE_OPTIONS, languageToValue, valueToLanguage } from '../../store/languages';
import { useApp } from '../../store/store-context';
import { ErrorMessage } from '../ErrorMessage';
import { SaveStatusText } from './SaveStatusText';
import { useSaveSettings } from './use-save-status';

const DEVICE_NAMES: Readonly<Record<string, string>> = {
  cpu: 'the processor (CPU)',
  cuda: 'the NVIDIA GPU (CUDA)',
  dml: 'the GPU (DirectML)',
  coreml: 'Apple silicon (Core ML)',
  gpu: 'the GPU',
};

function deviceName(device: string): string {
  return DEVICE_NAMES[device] ?? device;
}

/** The engine's reason in the user's words; references to developer documentation are not for them. */
function plainReason(reason: string, gpuWanted: boolean): string {
  if (/CUDA execution provider is not installed/i.test(reason))
    return 'No NVIDIA GPU support is installed, so transcription runs on the processor.';
  if (/CPU was requested/i.test(reason))
    return gpuWanted
      ? 'Verbatim was started on the processor only; the GPU setting applies from the next start.'
      : 'The GPU is switched off above.';
  return reason.replace(/\s*\(see README[^)]*\)/gi, '');
}

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
      <VocabularyField value={settings.vocabulary} onSave={(vocabulary) => save({ vocabulary })} />
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
          Running on <strong>{deviceName(provider.active)}</strong>
          {provider.requested !== provider.active && provider.requested !== 'auto' && ` (asked for ${deviceName(provider.requested)})`}.
          {provider.fallbackReason !== null && ` ${plainReason(provider.fallbackReason, settings.useGpu)}`}
        </p>
      )}
      <ErrorMessage error={engineInfoError} prefix="Could not read the engine status:" />
      <SaveStatusText status={status} />
    </section>
  );
}

/** Names and words Whisper should expect in every meeting (a vocabulary prompt); saved when the field is left. */
function VocabularyField({ value, onSave }: { value: string; onSave: (vocabulary: string) => Promise<unknown> }): React.JSX.Element {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  return (
    <label className="field">
      <span>Names and words used in your meetings</span>
      <textarea
        data-testid="settings-vocabulary"
        rows={2}
        maxLength={1000}
        placeholder="e.g. Verbatim, Hyprnote, 김민지, Kubernetes"
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={async () => {
          if (draft !== value) await onSave(draft);
        }}
      />
      <span className="hint">Spelled this way in transcripts where Whisper hears them. Applies to new recordings and imports.</span>
    </label>
  );
}
