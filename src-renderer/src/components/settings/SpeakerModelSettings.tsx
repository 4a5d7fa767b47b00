import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { DiarizationModelEntry, ModelDownloadProgress } from '../../../../src-shared/ipc-contract';
import { formatBytes } from '../../store/format';
import { useApp } from '../../store/store-context';
import { ErrorMessage } from '../ErrorMessage';
import { ProgressBar } from '../ProgressBar';

function SpeakerModelRow({
  model,
  download,
  onDownload,
}: {
  model: DiarizationModelEntry;
  download: ModelDownloadProgress | undefined;
  onDownload(id: string): void;
}): React.JSX.Element {
  const downloading = download?.state === 'downloading';
  const percent = download && download.totalBytes ? (download.receivedBytes / download.totalBytes) * 100 : null;
  return (
    <li className="model-row" data-testid="speaker-model-row" data-model-id={model.id} data-installed={model.installed}>
      <div className="model-info">
        <strong>{model.label}</strong>
        {model.location !== null && <code className="muted">{model.location}</code>}
      </div>
      <div className="model-size" data-testid="speaker-model-status">
        {model.installed
          ? `Installed · ${formatBytes(model.diskBytes)}`
          : `Not installed · ${formatBytes(model.downloadBytes)} to download`}
      </div>
      <div className="model-actions">
        {!model.installed && (
          <button
            type="button"
            className="btn btn-small"
            data-testid="speaker-model-download"
            disabled={downloading}
            onClick={() => onDownload(model.id)}
          >
            {downloading ? 'Downloading…' : 'Download'}
          </button>
        )}
      </div>
      {downloading && (
        <div className="model-progress">
          <ProgressBar value={percent} label={`${model.id} download`} />
        </div>
      )}
      {download?.state === 'failed' && (
        <ErrorMessage error={download.error ?? { code: 'DOWNLOAD_FAILED', message: 'Please try again.' }} prefix="Download failed:" />
      )}
    </li>
  );
}

/** Whether the two models that tell speakers apart are here (they download on first use otherwise). */
export function SpeakerModelSettings(): React.JSX.Element {
  const { models, error, downloads, load, startModelDownload } = useApp(
    useShallow((state) => ({
      models: state.diarizationModels,
      error: state.diarizationModelsError,
      downloads: state.downloads,
      load: state.loadDiarizationModels,
      startModelDownload: state.startModelDownload,
    })),
  );
  useEffect(() => {
    void load();
  }, [load]);
  const missing = models.filter((model) => !model.installed).length;
  return (
    <section className="settings-section" aria-labelledby="speaker-models-title" data-testid="speaker-models">
      <h2 id="speaker-models-title">Speaker models</h2>
      <p className="hint" data-testid="speaker-models-summary">
        {models.length === 0
          ? 'Checking…'
          : missing === 0
            ? 'Both models for telling speakers apart are installed.'
            : `${missing === models.length ? 'Not installed yet' : 'One is missing'}: they download the first time speakers are found, or now.`}
      </p>
      <ErrorMessage error={error} prefix="Could not check the speaker models:" />
      <ul className="model-list">
        {models.map((model) => (
          <SpeakerModelRow key={model.id} model={model} download={downloads[model.id]} onDownload={(id) => void startModelDownload(id)} />
        ))}
      </ul>
    </section>
  );
}
