import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { CodedError } from '../../../../src-shared/result';
import { formatBytes } from '../../store/format';
import { LANGUAGE_OPTIONS, languageToValue, valueToLanguage } from '../../store/languages';
import { useApp } from '../../store/store-context';
import { ErrorMessage } from '../ErrorMessage';
import { Modal } from '../Modal';

interface RetranscribeDialogProps {
  initialLanguage: string | null;
  initialModelId: string | null;
  onClose(): void;
}

export function RetranscribeDialog({ initialLanguage, initialModelId, onClose }: RetranscribeDialogProps): React.JSX.Element {
  const { models, defaultModelId, retranscribeMeeting, pushNotice } = useApp(
    useShallow((state) => ({
      models: state.models,
      defaultModelId: state.settings?.modelId ?? null,
      retranscribeMeeting: state.retranscribeMeeting,
      pushNotice: state.pushNotice,
    })),
  );
  const [modelId, setModelId] = useState(initialModelId ?? defaultModelId ?? models[0]?.id ?? '');
  const [language, setLanguage] = useState<string | null>(initialLanguage);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CodedError | null>(null);
  const chosen = models.find((model) => model.id === modelId);

  async function start(): Promise<void> {
    setBusy(true);
    const result = await retranscribeMeeting({ modelId, language });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    pushNotice('Re-transcription queued. The transcript is replaced when it finishes.', 'info', 'queue');
    onClose();
  }

  return (
    <Modal title="Re-transcribe" onClose={onClose}>
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
      >
        <label className="field">
          <span>Model</span>
          <select data-testid="retranscribe-model" value={modelId} onChange={(event) => setModelId(event.target.value)}>
            {models.map((model) => (
              <option key={model.id} value={model.id}>
                {model.label}
                {model.installed ? '' : ` — downloads ${formatBytes(model.downloadBytes)}`}
              </option>
            ))}
          </select>
        </label>
        {chosen !== undefined && !chosen.installed && <p className="hint">This model is not installed; the job downloads it first.</p>}
        <label className="field">
          <span>Language</span>
          <select
            data-testid="retranscribe-language"
            value={languageToValue(language)}
            onChange={(event) => setLanguage(valueToLanguage(event.target.value))}
          >
            {LANGUAGE_OPTIONS.map((option) => (
              <option key={option.code ?? 'auto'} value={languageToValue(option.code)}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <ErrorMessage error={error} prefix="Could not start:" />
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" data-testid="retranscribe-confirm" disabled={busy || modelId === ''}>
            Re-transcribe
          </button>
        </div>
      </form>
    </Modal>
  );
}
