import { useShallow } from 'zustand/react/shallow';
import { CaptureOptions } from '../components/record/CaptureOptions';
import { ElapsedTime } from '../components/record/ElapsedTime';
import { LevelMeter } from '../components/record/LevelMeter';
import { LiveTranscriptView } from '../components/record/LiveTranscriptView';
import { RecordControls } from '../components/record/RecordControls';
import { formatDuration } from '../store/format';
import { useApp } from '../store/store-context';

function SavedRecordingBanner(): React.JSX.Element | null {
  const { saved, status, openMeeting } = useApp(
    useShallow((state) => ({ saved: state.saved, status: state.recordingStatus, openMeeting: state.openMeeting })),
  );
  if (saved === null || status !== 'idle') return null;
  return (
    <p className="saved-banner" role="status">
      Saved {formatDuration(saved.seconds)} of audio.{' '}
      <a
        href={`#meeting/${encodeURIComponent(saved.sessionId)}`}
        data-testid="recording-saved-link"
        onClick={(event) => {
          event.preventDefault();
          openMeeting(saved.sessionId);
        }}
      >
        Open in library
      </a>
    </p>
  );
}

export function RecordScreen(): React.JSX.Element {
  return (
    <section className="record-screen" aria-labelledby="record-title">
      <header className="screen-header">
        <h1 id="record-title">Record</h1>
      </header>
      <CaptureOptions />
      <div className="record-panel">
        <RecordControls />
        <ElapsedTime />
        <LevelMeter />
      </div>
      <SavedRecordingBanner />
      <LiveTranscriptView />
    </section>
  );
}
