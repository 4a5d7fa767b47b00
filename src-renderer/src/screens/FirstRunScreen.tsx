import { useShallow } from 'zustand/react/shallow';
import { ErrorMessage } from '../components/ErrorMessage';
import { ProgressBar } from '../components/ProgressBar';
import { formatBytes } from '../store/format';
import { useApp } from '../store/store-context';

/** Shown at start-up while the chosen speech model is not installed: nothing can be transcribed without it. */
export function FirstRunScreen(): React.JSX.Element {
  const { settings, models, downloads, startModelDownload, saveSettings } = useApp(
    useShallow((state) => ({
      settings: state.settings,
      models: state.models,
      downloads: state.downloads,
      startModelDownload: state.startModelDownload,
      saveSettings: state.saveSettings,
    })),
  );
  const modelId = settings?.modelId ?? '';
  const model = models.find((entry) => entry.id === modelId);
  const download = downloads[modelId];
  const downloading = download?.state === 'downloading';
  const percent =
    download !== undefined && download.totalBytes !== null && download.totalBytes > 0
      ? (download.receivedBytes / download.totalBytes) * 100
      : null;

  return (
    <main className="first-run">
      <h1>Welcome to Verbatim</h1>
      <p className="first-run-lead">
        Verbatim records and transcribes on this computer; nothing leaves your machine. It needs a speech model first.
      </p>
      {model === undefined ? (
        <label className="field">
          <span>The model “{modelId}” is not available. Choose one:</span>
          <select value="" onChange={(event) => void saveSettings({ modelId: event.target.value })}>
            <option value="" disabled>
              Choose a model…
            </option>
            {models.map((entry) => (
              <option key={entry.id} value={entry.id}>
                {entry.label} ({formatBytes(entry.downloadBytes)})
              </option>
            ))}
          </select>
        </label>
      ) : (
        <button
          type="button"
          className="btn btn-primary btn-large"
          data-testid="first-run-download"
          disabled={downloading}
          onClick={() => void startModelDownload(model.id)}
        >
          {downloading ? `Downloading ${model.label}…` : `Download ${model.label} (${formatBytes(model.downloadBytes)}) to start`}
        </button>
      )}
      {download !== undefined && download.state !== 'failed' && (
        <div className="first-run-progress">
          <ProgressBar value={download.state === 'done' ? 100 : percent} label="Model download" />
          <p className="muted">
            {download.state === 'done'
              ? 'Download complete. Getting ready…'
              : `${formatBytes(download.receivedBytes)} of ${formatBytes(download.totalBytes)}`}
          </p>
        </div>
      )}
      {download?.state === 'failed' && (
        <ErrorMessage
          error={download.error ?? { code: 'DOWNLOAD_FAILED', message: 'Please try again.' }}
          prefix="The download failed:"
        />
      )}
    </main>
  );
}
