import { useShallow } from 'zustand/react/shallow';
import { ErrorMessage } from '../ErrorMessage';
import { useApp } from '../../store/store-context';

export function RecordControls(): React.JSX.Element {
  const { status, pending, error, start, pause, resume, stop } = useApp(
    useShallow((state) => ({
      status: state.recordingStatus,
      pending: state.pendingAction,
      error: state.recordingError,
      start: state.startRecording,
      pause: state.pauseRecording,
      resume: state.resumeRecording,
      stop: state.stopRecording,
    })),
  );
  const busy = pending !== null;

  return (
    <div className="record-controls">
      <div className="record-buttons">
        {status === 'idle' && (
          <button type="button" className="btn btn-record" data-testid="record-button" disabled={busy} onClick={() => void start()}>
            <span className="record-icon" aria-hidden="true" />
            {pending === 'start' ? 'Starting…' : 'Record'}
          </button>
        )}
        {status === 'recording' && (
          <button type="button" className="btn btn-large" data-testid="pause-button" disabled={busy} onClick={() => void pause()}>
            Pause
          </button>
        )}
        {status === 'paused' && (
          <button
            type="button"
            className="btn btn-large btn-primary"
            data-testid="resume-button"
            disabled={busy}
            onClick={() => void resume()}
          >
            Resume
          </button>
        )}
        {status !== 'idle' && (
          <button
            type="button"
            className="btn btn-large btn-stop"
            data-testid="stop-button"
            disabled={busy || status === 'stopping'}
            onClick={() => void stop()}
          >
            {status === 'stopping' || pending === 'stop' ? 'Saving…' : 'Stop'}
          </button>
        )}
      </div>
      <ErrorMessage error={error} />
    </div>
  );
}
