/** The meeting open in the meeting view, and the edits made there. */
import type { ExportFormat, ExportOutcome, MeetingDetail, SpeakerCountChoice, TranscriptDraft } from '../../../src-shared/ipc-contract';
import type { JobSummary, TranscriptionChoice } from '../../../src-shared/jobs';
import type { MeetingSummary, Speaker } from '../../../src-shared/library';
import type { CodedError, Result } from '../../../src-shared/result';
import type { TranscriptSegment } from '../../../src-shared/transcript';
import type { SliceCreator } from './types';

export interface MeetingView {
  meetingId: string | null;
  detail: MeetingDetail | null;
  loading: boolean;
  error: CodedError | null;
}

export interface MeetingSlice {
  meetingView: MeetingView;
  loadMeeting(meetingId: string): Promise<void>;
  /** Where the <audio> element plays the meeting from. */
  mediaUrlFor(meetingId: string): string;
  renameSpeaker(speakerId: number, name: string | null): Promise<Result<Speaker>>;
  editSegmentText(segmentId: number, text: string): Promise<Result<TranscriptSegment>>;
  setSegmentSpeaker(segmentId: number, label: string | null): Promise<Result<TranscriptSegment>>;
  /** Attributes a segment to the speaker of that name, or to a new speaker named so. */
  setSegmentSpeakerName(segmentId: number, name: string): Promise<Result<TranscriptSegment>>;
  mergeSpeakers(fromLabel: string, intoLabel: string): Promise<Result<Speaker[]>>;
  retranscribeMeeting(choice: TranscriptionChoice, keepEdits: boolean): Promise<Result<JobSummary>>;
  restorePreviousTranscript(): Promise<Result<MeetingSummary>>;
  /** Segments of a running import, appended to the open meeting's preview. */
  applyTranscriptDraft(draft: TranscriptDraft): void;
  diarizeMeeting(speakers?: SpeakerCountChoice): Promise<Result<JobSummary>>;
  exportMeeting(format: ExportFormat): Promise<Result<ExportOutcome>>;
}

const NO_MEETING_OPEN: CodedError = { code: 'MEETING_NOT_FOUND', message: 'No meeting is open.' };

export const createMeetingSlice: SliceCreator<MeetingSlice> = (set, get, api) => {
  function openMeetingId(): string | null {
    return get().meetingView.meetingId;
  }

  function patchDetail(meetingId: string, patch: (detail: MeetingDetail) => MeetingDetail): void {
    set((state) => {
      const view = state.meetingView;
      if (view.meetingId !== meetingId || view.detail === null) return {};
      return { meetingView: { ...view, detail: patch(view.detail) } };
    });
  }

  return {
    meetingView: { meetingId: null, detail: null, loading: false, error: null },
    async loadMeeting(meetingId) {
      set((state) => {
        const sameMeeting = state.meetingView.meetingId === meetingId;
        // Reloading the open meeting keeps it on screen; opening another one clears the old.
        const detail = sameMeeting ? state.meetingView.detail : null;
        return { meetingView: { meetingId, detail, loading: true, error: null } };
      });
      const result = await api.getMeeting(meetingId);
      if (openMeetingId() !== meetingId) return;
      if (result.ok) set({ meetingView: { meetingId, detail: result.value, loading: false, error: null } });
      else set((state) => ({ meetingView: { ...state.meetingView, loading: false, error: result.error } }));
    },
    mediaUrlFor(meetingId) {
      return api.mediaUrl(meetingId);
    },
    async renameSpeaker(speakerId, name) {
      const meetingId = openMeetingId();
      const result = await api.renameSpeaker(speakerId, name);
      if (result.ok && meetingId !== null) {
        const renamed = result.value;
        patchDetail(meetingId, (detail) => ({
          ...detail,
          speakers: detail.speakers.map((speaker) => (speaker.id === renamed.id ? renamed : speaker)),
        }));
      }
      return result;
    },
    async editSegmentText(segmentId, text) {
      const meetingId = openMeetingId();
      if (meetingId === null) return { ok: false, error: NO_MEETING_OPEN };
      const result = await api.editSegmentText(meetingId, segmentId, text);
      if (result.ok) {
        const edited = result.value;
        patchDetail(meetingId, (detail) => ({
          ...detail,
          transcript: {
            ...detail.transcript,
            segments: detail.transcript.segments.map((segment) => (segment.id === edited.id ? edited : segment)),
          },
        }));
      }
      return result;
    },
    async setSegmentSpeaker(segmentId, label) {
      const meetingId = openMeetingId();
      if (meetingId === null) return { ok: false, error: NO_MEETING_OPEN };
      const result = await api.setSegmentSpeaker(meetingId, segmentId, label);
      // The speakers may have changed too (a new label, one no longer used): reload the meeting.
      if (result.ok) await get().loadMeeting(meetingId);
      return result;
    },
    async setSegmentSpeakerName(segmentId, name) {
      const meetingId = openMeetingId();
      if (meetingId === null) return { ok: false, error: NO_MEETING_OPEN };
      const result = await api.setSegmentSpeakerName(meetingId, segmentId, name);
      if (result.ok) await get().loadMeeting(meetingId);
      return result;
    },
    async mergeSpeakers(fromLabel, intoLabel) {
      const meetingId = openMeetingId();
      if (meetingId === null) return { ok: false, error: NO_MEETING_OPEN };
      const result = await api.mergeSpeakers(meetingId, fromLabel, intoLabel);
      if (result.ok) await get().loadMeeting(meetingId);
      return result;
    },
    async retranscribeMeeting(choice, keepEdits) {
      const meetingId = openMeetingId();
      if (meetingId === null) return { ok: false, error: NO_MEETING_OPEN };
      const result = await api.retranscribe(meetingId, choice, keepEdits);
      if (result.ok) {
        get().addJobs([result.value]);
        await get().loadMeeting(meetingId);
      }
      return result;
    },
    async restorePreviousTranscript() {
      const meetingId = openMeetingId();
      if (meetingId === null) return { ok: false, error: NO_MEETING_OPEN };
      const result = await api.restorePreviousTranscript(meetingId);
      if (result.ok) {
        await get().loadMeeting(meetingId);
        void get().loadMeetings();
      }
      return result;
    },
    applyTranscriptDraft(draft) {
      patchDetail(draft.meetingId, (detail) => {
        const known = new Set(detail.draft.map((segment) => segment.id));
        const fresh = draft.segments.filter((segment) => !known.has(segment.id));
        return fresh.length === 0 ? detail : { ...detail, draft: [...detail.draft, ...fresh] };
      });
    },
    async diarizeMeeting(speakers) {
      const meetingId = openMeetingId();
      if (meetingId === null) return { ok: false, error: NO_MEETING_OPEN };
      const result = await api.diarizeMeeting(meetingId, speakers);
      if (result.ok) get().addJobs([result.value]);
      return result;
    },
    async exportMeeting(format) {
      const meetingId = openMeetingId();
      if (meetingId === null) return { ok: false, error: NO_MEETING_OPEN };
      return api.exportTranscript(meetingId, format);
    },
  };
};
