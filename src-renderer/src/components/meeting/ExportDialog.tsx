import { useState } from 'react';
import { EXPORT_FORMAT_LIST, type ExportFormat, type ExportOutcome } from '../../../../src-shared/ipc-contract';
import type { Result } from '../../../../src-shared/result';
import { describeError } from '../../store/error-text';
import { useApp } from '../../store/store-context';
import { Modal } from '../Modal';

const FORMAT_LABELS: Record<ExportFormat, string> = {
  txt: 'Plain text (.txt)',
  srt: 'SubRip subtitles (.srt)',
  vtt: 'WebVTT subtitles (.vtt)',
  json: 'JSON with timings (.json)',
  md: 'Markdown (.md)',
  docx: 'Word document (.docx)',
  rttm: 'Who spoke when, RTTM (.rttm)',
};

function ExportOutcomeText({ outcome }: { outcome: Result<ExportOutcome> }): React.JSX.Element {
  if (!outcome.ok) {
    return (
      <p className="export-result error-text" role="alert" data-testid="export-result" data-outcome="error">
        Export failed: {describeError(outcome.error)}
      </p>
    );
  }
  const { savedTo } = outcome.value;
  return (
    <p className="export-result" role="status" data-testid="export-result" data-outcome={savedTo === null ? 'dismissed' : 'saved'}>
      {savedTo === null ? (
        'Nothing was saved (the save dialog was closed).'
      ) : (
        <>
          Saved to <code>{savedTo}</code>
        </>
      )}
    </p>
  );
}

export function ExportDialog({ onClose }: { onClose(): void }): React.JSX.Element {
  const exportMeeting = useApp((state) => state.exportMeeting);
  const [format, setFormat] = useState<ExportFormat>('txt');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Result<ExportOutcome> | null>(null);

  async function runExport(): Promise<void> {
    setBusy(true);
    setOutcome(null);
    setOutcome(await exportMeeting(format));
    setBusy(false);
  }

  return (
    <Modal title="Export transcript" onClose={onClose} testId="export-dialog">
      <form
        className="export-form"
        onSubmit={(event) => {
          event.preventDefault();
          void runExport();
        }}
      >
        <fieldset className="radio-group">
          <legend>Format</legend>
          {EXPORT_FORMAT_LIST.map((option) => (
            <label key={option} className="radio">
              <input
                type="radio"
                name="export-format"
                value={option}
                data-testid={`export-format-${option}`}
                checked={format === option}
                onChange={() => setFormat(option)}
              />
              <span>{FORMAT_LABELS[option]}</span>
            </label>
          ))}
        </fieldset>
        {outcome !== null && <ExportOutcomeText outcome={outcome} />}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
          <button type="submit" className="btn btn-primary" data-testid="export-confirm" disabled={busy}>
            {busy ? 'Exporting…' : 'Export'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
