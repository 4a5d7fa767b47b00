import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ModelDownloadProgress, ModelEntry } from '../../../../src-shared/ipc-contract';
import type { CodedError } from '../../../../src-shared/result';
import { formatBytes } from '../../store/format';
import { useApp } from '../../store/store-context';
import { ErrorMessage } from '../ErrorMessage';
import { ProgressBar } from '../ProgressBar';
import { SaveStatusText } from './SaveStatusText';
import { useSaveSettings } from './use-save-status';

function downloadPercent(download: ModelDownloadProgress): number | null {
  if (download.state === 'done') return 100;
  return download.totalBytes !== null && download.totalBytes > 0 ? (download.receivedBytes / download.totalBytes) * 100 : null;
}

interface ModelRowProps {
  model: ModelEntry;
  inUse: boolean;
  download: ModelDownloadProgress | undefined;
  onDownload(modelId: string): void;
  onUse(modelId: string): void;
}

function ModelRow({ model, inUse, download, onDownload, onUse }: ModelRowProps): React.JSX.Element {
  const downloading = download?.state === 'downloading';
  return (
    <li
      className={inUse ? 'model-row model-in-use' : 'model-row'}
      data-testid="settings-model-row"
      data-model-id={model.id}
      data-installed={model.installed}
    >
      <div className="model-info">
        <strong>{model.label}</strong>
        <span className="muted">
          {model.parametersMillions !== null && `${model.parametersMillions}M parameters · `}
          {model.multilingual ? 'multilingual' : 'English only'}
          {model.local && ' · model folder'}
        </span>
        {model.installed && model.location !== null && <code className="muted model-location">{model.location}</code>}
      </div>
      <div className="model-size">
        {model.installed ? `Installed · ${formatBytes(model.diskBytes)} on disk` : `Download ${formatBytes(model.downloadBytes)}`}
      </div>
      <div className="model-actions">
        {inUse ? (
          <span className="badge badge-ready">In use</span>
        ) : (
          model.installed && (
            <button type="button" className="btn btn-small" onClick={() => onUse(model.id)}>
              Use
            </button>
          )
        )}
        {!model.installed && !model.local && (
          <button
            type="button"
            className="btn btn-small btn-primary"
            data-testid="model-download"
            disabled={downloading}
            onClick={() => onDownload(model.id)}
          >
            {downloading ? 'Downloading…' : download?.state === 'failed' ? 'Try again' : 'Download'}
          </button>
        )}
      </div>
      {download !== undefined && download.state !== 'failed' && !model.installed && (
        <div className="model-progress">
          <ProgressBar value={downloadPercent(download)} label={`${model.label} download`} />
          <span className="muted">
            {formatBytes(download.receivedBytes)} of {formatBytes(download.totalBytes)}
          </span>
        </div>
      )}
      {download?.state === 'failed' && (
        <ErrorMessage error={download.error ?? { code: 'DOWNLOAD_FAILED', message: 'Please try again.' }} prefix="Download failed:" />
      )}
    </li>
  );
}

export function ModelList(): React.JSX.Element {
  const { models, modelsError, downloads, currentModelId, startModelDownload } = useApp(
    useShallow((state) => ({
      models: state.models,
      modelsError: state.modelsError,
      downloads: state.downloads,
      currentModelId: state.settings?.modelId ?? null,
      startModelDownload: state.startModelDownload,
    })),
  );
  const { status, save } = useSaveSettings();
  const addModelFolder = useApp((state) => state.addModelFolder);
  const [folder, setFolder] = useState('');
  const [folderError, setFolderError] = useState<CodedError | null>(null);
  return (
    <section className="settings-section" aria-labelledby="models-title">
      <h2 id="models-title">Speech model</h2>
      <p className="hint">Larger models are more accurate and slower. Models are stored on this computer.</p>
      <ErrorMessage error={modelsError} prefix="Could not list models:" />
      <ul className="model-list">
        {models.map((model) => (
          <ModelRow
            key={model.id}
            model={model}
            inUse={model.id === currentModelId}
            download={downloads[model.id]}
            onDownload={(modelId) => void startModelDownload(modelId)}
            onUse={(modelId) => void save({ modelId })}
          />
        ))}
      </ul>
      <form
        className="input-row model-folder-form"
        onSubmit={(event) => {
          event.preventDefault();
          void addModelFolder(folder.trim()).then((result) => {
            setFolderError(result.ok ? null : result.error);
            if (result.ok) setFolder('');
          });
        }}
      >
        <input
          data-testid="settings-folder-input"
          aria-label="Full path of a Whisper model folder to use"
          placeholder="Use a model folder: /path/to/whisper-small"
          value={folder}
          onChange={(event) => setFolder(event.target.value)}
        />
        <button type="submit" className="btn btn-small" disabled={folder.trim() === ''}>
          Use folder
        </button>
      </form>
      <ErrorMessage error={folderError} prefix="That folder cannot be used:" />
      <SaveStatusText status={status} />
    </section>
  );
}
