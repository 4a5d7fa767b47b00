import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ModelDownloadProgress, ModelEntry } from '../../../src-shared/ipc-contract';
import type { CodedError } from '../../../src-shared/result';
import { ErrorMessage } from '../components/ErrorMessage';
import { ProgressBar } from '../components/ProgressBar';
import { formatBytes } from '../store/format';
import { useApp } from '../store/store-context';

function downloadPercent(download: ModelDownloadProgress): number | null {
  if (download.state === 'done') return 100;
  return download.totalBytes !== null && download.totalBytes > 0 ? (download.receivedBytes / download.totalBytes) * 100 : null;
}

function modelFacts(model: ModelEntry): string {
  const parts = [model.multilingual ? 'many languages' : 'English only'];
  if (model.parametersMillions !== null) parts.unshift(`${model.parametersMillions}M parameters`);
  return parts.join(' · ');
}

interface DownloadRowProps {
  model: ModelEntry;
  recommended: boolean;
  download: ModelDownloadProgress | undefined;
  onDownload(modelId: string): void;
}

function DownloadRow({ model, recommended, download, onDownload }: DownloadRowProps): React.JSX.Element {
  const downloading = download?.state === 'downloading';
  return (
    <li className="first-run-model" data-testid="first-run-model-row" data-model-id={model.id}>
      <div className="model-info">
        <strong>
          {model.label} {recommended && <span className="badge badge-ready">Recommended</span>}
        </strong>
        <span className="muted">{modelFacts(model)}</span>
      </div>
      <span className="model-size" data-testid="first-run-model-size">
        {formatBytes(model.downloadBytes)}
      </span>
      <button
        type="button"
        className={recommended ? 'btn btn-primary' : 'btn'}
        data-testid="first-run-download"
        disabled={downloading}
        onClick={() => onDownload(model.id)}
      >
        {downloading ? 'Downloading…' : download?.state === 'failed' ? 'Try again' : 'Download'}
      </button>
      {download !== undefined && download.state !== 'failed' && (
        <div className="model-progress">
          <ProgressBar value={downloadPercent(download)} label={`${model.label} download`} />
          <span className="muted">
            {download.state === 'done'
              ? 'Downloaded. Getting ready…'
              : `${formatBytes(download.receivedBytes)} of ${formatBytes(download.totalBytes)}`}
          </span>
        </div>
      )}
      {download?.state === 'failed' && (
        <ErrorMessage
          testId="first-run-download-error"
          error={download.error ?? { code: 'DOWNLOAD_FAILED', message: 'Please try again.' }}
          prefix="The download did not work."
        />
      )}
    </li>
  );
}

/**
 * Shown at start-up while the chosen speech model is not installed. Never a dead end: a model already on
 * this computer (one the command-line tool downloaded, say) is offered first; every catalog model can be
 * downloaded; a model folder can be given by path (offline machines); or the user goes in without one.
 */
export function FirstRunScreen(): React.JSX.Element {
  const { settings, models, downloads, startModelDownload, saveSettings, addModelFolder, skipFirstRun } = useApp(
    useShallow((state) => ({
      settings: state.settings,
      models: state.models,
      downloads: state.downloads,
      startModelDownload: state.startModelDownload,
      saveSettings: state.saveSettings,
      addModelFolder: state.addModelFolder,
      skipFirstRun: state.skipFirstRun,
    })),
  );
  const [folder, setFolder] = useState('');
  const [folderBusy, setFolderBusy] = useState(false);
  const [folderError, setFolderError] = useState<CodedError | null>(null);
  const [useError, setUseError] = useState<CodedError | null>(null);
  const recommendedId = settings?.modelId ?? '';
  const installed = models.filter((model) => model.installed);
  const downloadable = models
    .filter((model) => !model.installed && !model.local)
    .sort((left, right) => Number(right.id === recommendedId) - Number(left.id === recommendedId));
  const anyFailed = Object.values(downloads).some((download) => download.state === 'failed');

  async function download(modelId: string): Promise<void> {
    // The model downloaded becomes the one in use, so the app opens as soon as it is in.
    if (settings?.modelId !== modelId) await saveSettings({ modelId });
    await startModelDownload(modelId);
  }

  async function use(modelId: string): Promise<void> {
    const result = await saveSettings({ modelId });
    setUseError(result.ok ? null : result.error);
  }

  async function addFolder(): Promise<void> {
    setFolderBusy(true);
    const result = await addModelFolder(folder.trim());
    setFolderBusy(false);
    setFolderError(result.ok ? null : result.error);
  }

  return (
    <main className="first-run" aria-labelledby="first-run-title">
      <h1 id="first-run-title">Welcome to Verbatim</h1>
      <p className="first-run-lead">
        Verbatim records and transcribes on this computer; nothing leaves your machine. It needs a speech model first.
      </p>

      {installed.length > 0 && (
        <section className="first-run-section" aria-labelledby="first-run-found">
          <h2 id="first-run-found">Found on this computer</h2>
          <ul className="first-run-models">
            {installed.map((model) => (
              <li key={model.id} className="first-run-model" data-testid="first-run-found-row" data-model-id={model.id}>
                <div className="model-info">
                  <strong>{model.label}</strong>
                  <span className="muted">
                    {modelFacts(model)} · {formatBytes(model.diskBytes)}
                  </span>
                  {model.location !== null && <code className="first-run-location">{model.location}</code>}
                </div>
                <button type="button" className="btn btn-primary" data-testid="first-run-use" onClick={() => void use(model.id)}>
                  Use this model
                </button>
              </li>
            ))}
          </ul>
          <ErrorMessage error={useError} prefix="Could not choose it:" />
        </section>
      )}

      <section className="first-run-section" aria-labelledby="first-run-download-title">
        <h2 id="first-run-download-title">Download a model</h2>
        <p className="hint">Larger models are more accurate and slower. A model is downloaded once and stays on this computer.</p>
        <ul className="first-run-models">
          {downloadable.map((model) => (
            <DownloadRow
              key={model.id}
              model={model}
              recommended={model.id === recommendedId}
              download={downloads[model.id]}
              onDownload={(modelId) => void download(modelId)}
            />
          ))}
        </ul>
        {anyFailed && <p className="hint">No internet here? Use a model folder copied to this computer, below.</p>}
      </section>

      <section className="first-run-section" aria-labelledby="first-run-folder-title">
        <h2 id="first-run-folder-title">Use a model folder</h2>
        <form
          className="input-row"
          onSubmit={(event) => {
            event.preventDefault();
            void addFolder();
          }}
        >
          <input
            data-testid="first-run-folder-input"
            aria-label="Full path of a Whisper model folder"
            placeholder="/path/to/whisper-base"
            value={folder}
            disabled={folderBusy}
            onChange={(event) => setFolder(event.target.value)}
          />
          <button type="submit" className="btn" data-testid="first-run-folder-submit" disabled={folderBusy || folder.trim() === ''}>
            Use folder
          </button>
        </form>
        <p className="hint">
          A Whisper model in transformers.js layout: config.json, tokenizer.json and an onnx folder with the encoder and decoder.
        </p>
        <ErrorMessage error={folderError} testId="first-run-folder-error" prefix="That folder cannot be used:" />
      </section>

      <p className="first-run-skip">
        <button type="button" className="btn-link" data-testid="first-run-skip" onClick={skipFirstRun}>
          Continue without a model
        </button>{' '}
        <span className="hint">You can record now and transcribe once a model is installed (Settings).</span>
      </p>
    </main>
  );
}
