import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { SpeakerCountChoice } from '../../../../src-shared/ipc-contract';
import type { CodedError } from '../../../../src-shared/result';
import { useApp } from '../../store/store-context';
import { ErrorMessage } from '../ErrorMessage';
import { Modal } from '../Modal';

type CountMode = 'auto' | 'exact' | 'range';

function countChoice(mode: CountMode, exact: number, min: number, max: number): SpeakerCountChoice | undefined {
  if (mode === 'exact') return { exact };
  if (mode === 'range') return { min, max };
  return undefined;
}

/** "Find speakers": queues a diarize job; the transcript's speakers update when it finishes. */
export function DiarizeDialog({ onClose }: { onClose(): void }): React.JSX.Element {
  const { diarizeMeeting, pushNotice } = useApp(
    useShallow((state) => ({ diarizeMeeting: state.diarizeMeeting, pushNotice: state.pushNotice })),
  );
  const [mode, setMode] = useState<CountMode>('auto');
  const [exact, setExact] = useState(2);
  const [min, setMin] = useState(2);
  const [max, setMax] = useState(6);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CodedError | null>(null);

  async function start(): Promise<void> {
    setBusy(true);
    const result = await diarizeMeeting(countChoice(mode, exact, min, max));
    setBusy(false);
    if (!result.ok) return setError(result.error);
    pushNotice('Finding speakers. Names you gave are kept where the same speaker is found.', 'info', 'queue');
    onClose();
  }

  const number = (value: number, onChange: (value: number) => void, testId: string): React.JSX.Element => (
    <input
      type="number"
      min={1}
      max={50}
      step={1}
      data-testid={testId}
      value={value}
      onChange={(event) => onChange(Math.max(1, Math.min(50, Math.round(Number(event.target.value) || 1))))}
    />
  );

  return (
    <Modal title="Find speakers" onClose={onClose} testId="diarize-dialog">
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
      >
        <label className="field">
          <span>Number of speakers</span>
          <select data-testid="diarize-mode" value={mode} onChange={(event) => setMode(event.target.value as CountMode)}>
            <option value="auto">Find out automatically</option>
            <option value="exact">Exactly…</option>
            <option value="range">Between…</option>
          </select>
        </label>
        {mode === 'exact' && (
          <label className="field">
            <span>Speakers</span>
            {number(exact, setExact, 'diarize-exact')}
          </label>
        )}
        {mode === 'range' && (
          <div className="field-row">
            <label className="field">
              <span>At least</span>
              {number(min, setMin, 'diarize-min')}
            </label>
            <label className="field">
              <span>At most</span>
              {number(max, setMax, 'diarize-max')}
            </label>
          </div>
        )}
        <ErrorMessage error={error} prefix="Could not start:" />
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn btn-primary"
            data-testid="diarize-confirm"
            disabled={busy || (mode === 'range' && min > max)}
          >
            Find speakers
          </button>
        </div>
      </form>
    </Modal>
  );
}
