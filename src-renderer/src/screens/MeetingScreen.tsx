import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ErrorMessage } from '../components/ErrorMessage';
import { MeetingStatusBadge } from '../components/library/StatusBadge';
import { DiarizeDialog } from '../components/meeting/DiarizeDialog';
import { ExportDialog } from '../components/meeting/ExportDialog';
import { MeetingHeader, type MeetingDialog } from '../components/meeting/MeetingHeader';
import { MeetingSearchBar } from '../components/meeting/MeetingSearchBar';
import { MeetingFailure, MeetingProgress } from '../components/meeting/MeetingStatusPanel';
import { RetranscribeDialog } from '../components/meeting/RetranscribeDialog';
import { SegmentList } from '../components/meeting/SegmentList';
import { SpeakerChips } from '../components/meeting/SpeakerChips';
import { Timeline } from '../components/meeting/Timeline';
import { useMeetingKeys } from '../components/meeting/use-meeting-keys';
import { formatDateTime, formatDuration } from '../store/format';
import { languageLabel } from '../store/languages';
import { matchingSegmentIds } from '../store/meeting-search';
import { segmentIndexAt } from '../store/speakers';
import { useApp } from '../store/store-context';

export function MeetingScreen(): React.JSX.Element {
  const { route, view, loadMeeting, mediaUrlFor, editSegmentText, setSegmentSpeaker, setSegmentSpeakerName } = useApp(
    useShallow((state) => ({
      route: state.route,
      view: state.meetingView,
      loadMeeting: state.loadMeeting,
      mediaUrlFor: state.mediaUrlFor,
      editSegmentText: state.editSegmentText,
      setSegmentSpeaker: state.setSegmentSpeaker,
      setSegmentSpeakerName: state.setSegmentSpeakerName,
    })),
  );
  const meetingId = route.meetingId;
  const audioRef = useRef<HTMLAudioElement>(null);
  const [currentTime, setCurrentTime] = useState(0);
  const [followCurrent, setFollowCurrent] = useState(false);
  const [dialog, setDialog] = useState<MeetingDialog | null>(null);
  const [search, setSearch] = useState<{ query: string; index: number; focusRequest: number } | null>(null);
  const closeDialog = useCallback(() => setDialog(null), []);

  useEffect(() => {
    setCurrentTime(0);
    setFollowCurrent(false);
    setSearch(null);
    if (meetingId !== null) void loadMeeting(meetingId);
  }, [meetingId, loadMeeting]);

  const detail = view.meetingId === meetingId ? view.detail : null;
  const hasDetail = detail !== null;
  const segments = useMemo(() => [...(detail?.transcript.segments ?? [])].sort((left, right) => left.start - right.start), [detail]);
  const draft = detail?.draft ?? [];
  const meeting = detail?.meeting;
  const hasTranscript = meeting !== undefined && meeting.transcribedAt !== null && segments.length > 0;
  const currentIndex = segmentIndexAt(segments, currentTime);
  const duration = meeting?.duration ?? detail?.transcript.duration ?? segments.at(-1)?.end ?? 0;
  // The player is rebuilt when the media appears or changes (an import stores its audio copy with the transcript).
  const mediaKey =
    meeting?.recordingPath === null || meeting === undefined ? null : `${meeting.recordingPath}|${meeting.transcribedAt ?? ''}`;

  const matches = useMemo(() => (search === null ? [] : matchingSegmentIds(segments, search.query)), [search, segments]);
  const matchIndex = search === null || matches.length === 0 ? -1 : ((search.index % matches.length) + matches.length) % matches.length;
  const searchCurrentId = matchIndex >= 0 ? (matches[matchIndex] ?? null) : null;

  const seek = useCallback((seconds: number) => {
    setCurrentTime(seconds);
    setFollowCurrent(true);
    const audio = audioRef.current;
    if (audio === null) return;
    audio.currentTime = seconds;
    void audio.play().catch(() => undefined);
  }, []);

  useMeetingKeys(
    {
      togglePlayback: () => {
        const audio = audioRef.current;
        if (audio === null) return;
        if (audio.paused) void audio.play().catch(() => undefined);
        else audio.pause();
      },
      openSearch: () =>
        setSearch((current) => ({
          query: current?.query ?? '',
          index: current?.index ?? 0,
          focusRequest: (current?.focusRequest ?? 0) + 1,
        })),
    },
    meetingId !== null && dialog === null,
  );

  // Opening from a search hit positions the player at the hit without starting playback.
  useEffect(() => {
    if (!hasDetail || route.seekTo === null) return;
    setCurrentTime(route.seekTo);
    setFollowCurrent(true);
    if (audioRef.current !== null) audioRef.current.currentTime = route.seekTo;
  }, [hasDetail, route.seekTo, route.seekRequest, mediaKey]);

  if (meetingId === null) return <p className="empty">No meeting selected.</p>;
  const activeJob = detail?.activeJob ?? null;

  return (
    <section className="meeting-screen" aria-labelledby="meeting-title">
      <MeetingHeader meetingId={meetingId} meeting={meeting} hasTranscript={hasTranscript} onOpenDialog={setDialog} />
      {meeting !== undefined && (
        <p className="meeting-meta">
          {formatDateTime(meeting.createdAt)} · {meeting.duration === null ? 'length unknown' : formatDuration(meeting.duration)} ·{' '}
          {languageLabel(detail?.transcript.language || meeting.language)} · <MeetingStatusBadge status={meeting.status} />
          {!hasTranscript && <span className="muted"> · nothing to export yet</span>}
          {detail?.previousTranscript && activeJob === null && (
            <>
              {' · '}
              <button type="button" className="btn-link" data-testid="restore-previous-inline" onClick={() => setDialog('retranscribe')}>
                earlier transcript kept
              </button>
            </>
          )}
        </p>
      )}
      <ErrorMessage error={view.error} prefix="Could not open this meeting:" />
      {view.loading && !hasDetail && view.error === null && (
        <p className="muted" role="status">
          Loading…
        </p>
      )}
      {activeJob !== null && <MeetingProgress activeJob={activeJob} />}
      {meeting?.status === 'failed' && activeJob === null && <MeetingFailure meeting={meeting} />}
      {mediaKey !== null && (
        <audio
          key={mediaKey}
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
      )}
      {search !== null && (
        <MeetingSearchBar
          query={search.query}
          current={matchIndex}
          total={matches.length}
          focusRequest={search.focusRequest}
          onQuery={(query) => setSearch((current) => (current === null ? null : { ...current, query, index: 0 }))}
          onStep={(step) => setSearch((current) => (current === null ? null : { ...current, index: current.index + step }))}
          onClose={() => setSearch(null)}
        />
      )}
      {detail !== null && (
        <>
          {hasTranscript && <Timeline segments={segments} duration={duration} currentTime={currentTime} onSeek={seek} />}
          <SpeakerChips speakers={detail.speakers} />
          <div className="scroll-area" onWheel={() => setFollowCurrent(false)}>
            {segments.length === 0 && draft.length > 0 ? (
              <SegmentList
                segments={draft}
                speakers={detail.speakers}
                currentIndex={-1}
                currentTime={currentTime}
                follow={false}
                query=""
                searchCurrentId={null}
                readOnly
                onSeek={seek}
                onSaveText={editSegmentText}
                onSetSpeaker={setSegmentSpeaker}
                onSetSpeakerName={setSegmentSpeakerName}
              />
            ) : segments.length === 0 && activeJob !== null ? (
              <p className="empty">The transcript appears here line by line as it is recognized.</p>
            ) : segments.length === 0 && meeting?.status === 'failed' ? null : (
              <SegmentList
                segments={segments}
                speakers={detail.speakers}
                currentIndex={currentIndex}
                currentTime={currentTime}
                follow={followCurrent}
                query={search?.query ?? ''}
                searchCurrentId={searchCurrentId}
                onSeek={seek}
                onSaveText={editSegmentText}
                onSetSpeaker={setSegmentSpeaker}
                onSetSpeakerName={setSegmentSpeakerName}
              />
            )}
          </div>
        </>
      )}
      {dialog === 'export' && <ExportDialog onClose={closeDialog} />}
      {dialog === 'diarize' && <DiarizeDialog onClose={closeDialog} />}
      {dialog === 'retranscribe' && (
        <RetranscribeDialog
          initialLanguage={meeting?.language ?? null}
          initialModelId={meeting?.modelId ?? null}
          segments={segments}
          previous={detail?.previousTranscript ?? null}
          onClose={closeDialog}
        />
      )}
    </section>
  );
}
