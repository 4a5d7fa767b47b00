import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { PreviousTranscriptInfo } from '../../../../src-shared/ipc-contract';
import type { CodedError } from '../../../../src-shared/result';
import type { TranscriptSegment } from '../../../../src-shared/transcript';
import { formatBytes, formatDateTime } from '../../store/format';
import { LANGUAGE_OPTIONS, languageToValue, valueToLanguage } from '../../store/languages';
import { useApp } from '../../store/store-context';
import { ErrorMessage } from '../ErrorMessage';
import { Modal } from '../Modal';

interface RetranscribeDialogProps {
  initialLanguage: string | null;
  initialModelId: string | null;
  segments: readonly TranscriptSegment[];
  previous: PreviousTranscriptInfo | null;
  onClose(): void;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Re-transcription with another model or language; says what happens to the user's edits, and offers the undo. */
export function RetranscribeDialog({
  initialLanguage,
  initialModelId,
  segments,
  previous,
  onClose,
}: RetranscribeDialogProps): React.JSX.Element {
  const { models, defaultModelId, retranscribeMeeting, restorePreviousTranscript, pushNotice } = useApp(
    useShallow((state) => ({
      models: state.models,
      defaultModelId: state.settings?.modelId ?? null,
      retranscribeMeeting: state.retranscribeMeeting,
      restorePreviousTranscript: state.restorePreviousTranscript,
      pushNotice: state.pushNotice,
    })),
  );
  const [modelId, setModelId] = useState(initialModelId ?? defaultModelId ?? models[0]?.id ?? '');
  const [language, setLanguage] = useState<string | null>(initialLanguage);
  const [keepEdits, setKeepEdits] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CodedError | null>(null);
  const chosen = models.find((model) => model.id === modelId);
  const editedLines = segments.filter((segment) => segment.edited?.text === true).length;
  const chosenSpeakers = segments.filter((segment) => segment.edited?.text !== true && segment.edited?.speaker === true).length;
  const hasEdits = editedLines + chosenSpeakers > 0;

  async function start(): Promise<void> {
    setBusy(true);
    const result = await retranscribeMeeting({ modelId, language }, keepEdits);
    setBusy(false);
    if (!result.ok) return setError(result.error);
    pushNotice(
      'Re-transcription queued. The transcript is replaced when it finishes; the current one is kept so you can go back.',
      'info',
      'queue',
    );
    onClose();
  }

  async function restore(): Promise<void> {
    setBusy(true);
    const result = await restorePreviousTranscript();
    setBusy(false);
    if (!result.ok) return setError(result.error);
    pushNotice('The earlier transcript is back. Restore again to undo this.');
    onClose();
  }

  return (
    <Modal title="Re-transcribe" onClose={onClose} testId="retranscribe-dialog">
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
        {hasEdits && (
          <div className="edit-warning" role="note" data-testid="retranscribe-edits">
            <p>
              You corrected {plural(editedLines, 'line', 'lines')} and chose the speaker of {plural(chosenSpeakers, 'line', 'lines')} by
              hand.
            </p>
            <label className="checkbox">
              <input
                type="checkbox"
                data-testid="retranscribe-keep-edits"
                checked={keepEdits}
                onChange={(event) => setKeepEdits(event.target.checked)}
              />
              <span>Keep my corrections and speakers where they were said</span>
            </label>
            {!keepEdits && <p className="hint">The new transcript replaces them. You can still go back to the current one afterwards.</p>}
          </div>
        )}
        <p className="hint">The current transcript is kept: you can go back to it after the new one arrives.</p>
        {previous !== null && (
          <p className="hint" data-testid="retranscribe-previous">
            An earlier transcript ({previous.modelId || 'unknown model'}, {plural(previous.segmentCount, 'line', 'lines')}, replaced{' '}
            {formatDateTime(previous.replacedAt)}) is kept.{' '}
            <button type="button" className="btn-link" data-testid="restore-previous" disabled={busy} onClick={() => void restore()}>
              Go back to it
            </button>
          </p>
        )}
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
