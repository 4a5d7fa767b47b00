import { useEffect, useState } from 'react';
import { useEngineStore } from './engine-store';

/** First screen: engine status and a single-file transcription (the full UI arrives with the app issue). */
export function App(): React.JSX.Element {
  const { info, progress, transcript, error, loadInfo, transcribe, setProgress } = useEngineStore();
  const [path, setPath] = useState('');

  useEffect(() => {
    void loadInfo();
    return window.verbatim.onTranscribeProgress(setProgress);
  }, [loadInfo, setProgress]);

  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 24, maxWidth: 900 }}>
      <h1>Verbatim</h1>
      {info && (
        <p>
          Engine {info.version} · ffmpeg {info.ffmpeg ? info.ffmpeg.source : 'missing'} · {info.executionProvider.active}
        </p>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void transcribe(path);
        }}
      >
        <input value={path} onChange={(event) => setPath(event.target.value)} placeholder="/path/to/recording.m4a" size={60} />
        <button type="submit">Transcribe</button>
      </form>
      {progress && (
        <p>
          {progress.stage} {progress.percent.toFixed(0)}%
        </p>
      )}
      {error && <p role="alert">{error.message}</p>}
      {transcript?.segments.map((segment) => (
        <p key={segment.id}>
          <small>{segment.start.toFixed(1)}s</small> {segment.text}
        </p>
      ))}
    </main>
  );
}
