import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ErrorMessage } from '../components/ErrorMessage';
import { MeetingStatusBadge } from '../components/library/StatusBadge';
import { ExportDialog } from '../components/meeting/ExportDialog';
import { DiarizeDialog } from '../components/meeting/DiarizeDialog';
import { RetranscribeDialog } from '../components/meeting/RetranscribeDialog';
import { SegmentList } from '../components/meeting/SegmentList';
import { SpeakerChips } from '../components/meeting/SpeakerChips';
import { Timeline } from '../components/meeting/Timeline';
import { formatDateTime, formatDuration } from '../store/format';
import { languageLabel } from '../store/languages';
import { segmentIndexAt } from '../store/speakers';
import { useApp } from '../store/store-context';

type OpenDialog = 'export' | 'retranscribe' | 'diarize' | null;

export function MeetingScreen(): React.JSX.Element {
  const { route, view, loadMeeting, mediaUrlFor, editSegmentText, setSegmentSpeaker, navigate } = useApp(
    useShallow((state) => ({
      route: state.route,
      view: state.meetingView,
      loadMeeting: state.loadMeeting,
      mediaUrlFor: state.mediaUrlFor,
      editSegmentText: state.editSegmentText,
      setSegmentSpeaker: state.setSegmentSpeaker,
      navigate: state.navigate,
    })),
  );
  const meetingId = route.meetingId;
  const audioRef = useRef<HTMLAudioElement>(null);
  const [currentTime, setCurrentTime] = useState(0);
  const [followCurrent, setFollowCurrent] = useState(false);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const closeDialog = useCallback(() => setDialog(null), []);

  useEffect(() => {
    setCurrentTime(0);
    setFollowCurrent(false);
    if (meetingId !== null) void loadMeeting(meetingId);
  }, [meetingId, loadMeeting]);

  const detail = view.meetingId === meetingId ? view.detail : null;
  const segments = useMemo(
    () => [...(detail?.transcript.segments ?? [])].sort((left, right) => left.start - right.start),
    [detail],
  );
  const currentIndex = segmentIndexAt(segments, currentTime);
  const duration = detail?.meeting.duration ?? detail?.transcript.duration ?? segments.at(-1)?.end ?? 0;

  const seek = useCallback((seconds: number) => {
    setCurrentTime(seconds);
    setFollowCurrent(true);
    const audio = audioRef.current;
    if (audio === null) return;
    audio.currentTime = seconds;
    void audio.play().catch(() => undefined);
  }, []);

  // Opening from a search hit positions the player at the hit without starting playback.
  const hasDetail = detail !== null;
  useEffect(() => {
    if (!hasDetail || route.seekTo === null) return;
    setCurrentTime(route.seekTo);
    setFollowCurrent(true);
    if (audioRef.current !== null) audioRef.current.currentTime = route.seekTo;
  }, [hasDetail, route.seekTo, route.seekRequest]);

  if (meetingId === null) return <p className="empty">No meeting selected.</p>;
  const meeting = detail?.meeting;

  return (
    <section className="meeting-screen" aria-labelledby="meeting-title">
      <header className="screen-header">
        <button type="button" className="btn-link" onClick={() => navigate('library')}>
          ← Library
        </button>
        <h1 id="meeting-title">{meeting?.title ?? 'Meeting'}</h1>
        <div className="screen-actions">
          <button type="button" className="btn" data-testid="diarize-button" disabled={!hasDetail || meeting?.recordingPath === null} onClick={() => setDialog('diarize')}>
            Find speakers…
          </button>
          <button type="button" className="btn" data-testid="retranscribe-button" disabled={!hasDetail} onClick={() => setDialog('retranscribe')}>
            Re-transcribe…
          </button>
          <button type="button" className="btn btn-primary" data-testid="export-button" disabled={!hasDetail} onClick={() => setDialog('export')}>
            Export…
          </button>
        </div>
      </header>
      {meeting !== undefined && (
        <p className="meeting-meta">
          {formatDateTime(meeting.createdAt)} · {meeting.duration === null ? 'length unknown' : formatDuration(meeting.duration)} ·{' '}
          {languageLabel(detail?.transcript.language || meeting.language)} · <MeetingStatusBadge status={meeting.status} />
        </p>
      )}
      <ErrorMessage error={view.error} prefix="Could not open this meeting:" />
      {view.loading && !hasDetail && <p className="muted">Loading…</p>}
      <audio
        ref={audioRef}
        className="audio-player"
        data-testid="audio-player"
        controls
        preload="metadata"
        src={mediaUrlFor(meetingId)}
        onTimeUpdate={(event) => setCurrentTime(event.currentTarget.currentTime)}
        onSeeked={(event) => setCurrentTime(event.currentTarget.currentTime)}
        onPlay={() => setFollowCurrent(true)}
      />
      {detail !== null && (
        <>
          <Timeline segments={segments} duration={duration} currentTime={currentTime} onSeek={seek} />
          <SpeakerChips speakers={detail.speakers} />
          <div className="scroll-area" onWheel={() => setFollowCurrent(false)}>
            <SegmentList
              segments={segments}
              speakers={detail.speakers}
              currentIndex={currentIndex}
              follow={followCurrent}
              onSeek={seek}
              onSaveText={editSegmentText}
              onSetSpeaker={setSegmentSpeaker}
            />
          </div>
        </>
      )}
      {dialog === 'export' && <ExportDialog onClose={closeDialog} />}
      {dialog === 'diarize' && <DiarizeDialog onClose={closeDialog} />}
      {dialog === 'retranscribe' && (
        <RetranscribeDialog initialLanguage={meeting?.language ?? null} initialModelId={meeting?.modelId ?? null} onClose={closeDialog} />
      )}
    </section>
  );
}
