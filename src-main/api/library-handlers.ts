/** Wire handlers for the meeting library: list, open, search, edit, delete, export. */
import { rm } from 'node:fs/promises';
import { relative, resolve, isAbsolute } from 'node:path';
import type { MeetingDetail, WireHandlers } from '../../src-shared/ipc-contract';
import { parseExportFormat, parseId, parseIndex, parseNullableName, parseText } from '../../src-shared/ipc-validation';
import type { JobSummary } from '../../src-shared/jobs';
import { ok, type Result } from '../../src-shared/result';
import type { JobQueue } from '../jobs/job-queue';
import type { TranscriptDrafts } from '../jobs/transcript-drafts';
import type { LibraryStore } from '../library/library-store';
import { renderMeetingExport } from './export-rendering';
import { guarded } from './handler-guard';
import type { Logger } from '../../src-shared/logger';

export interface LibraryHandlerDeps {
  library: LibraryStore;
  jobs: Pick<JobQueue, 'list' | 'cancel'>;
  /** Segments of imports still running; none without it. */
  drafts?: Pick<TranscriptDrafts, 'get'>;
  /** The library's own media copies live here; a deleted meeting's copy goes with it (recordings stay). */
  mediaDir: string;
  logger: Logger;
}

/** The library shows every meeting; the store's default page is for callers that page. */
const ALL_MEETINGS = 1_000_000;
const MAX_QUERY = 1000;

type LibraryMethods =
  | 'listMeetings'
  | 'getMeeting'
  | 'searchLibrary'
  | 'renameSpeaker'
  | 'mergeSpeakers'
  | 'renameMeeting'
  | 'editSegmentText'
  | 'setSegmentSpeaker'
  | 'setSegmentSpeakerName'
  | 'restorePreviousTranscript'
  | 'deleteMeeting'
  | 'renderExport';

export function createLibraryHandlers(deps: LibraryHandlerDeps): Pick<WireHandlers, LibraryMethods> {
  const { library } = deps;
  return {
    listMeetings: guarded('listMeetings', 0, () => library.listMeetings({ limit: ALL_MEETINGS })),
    getMeeting: guarded('getMeeting', 1, ([meetingId]) => {
      const id = parseId(meetingId, 'meetingId');
      return id.ok ? meetingDetail(deps, id.value) : id;
    }),
    searchLibrary: guarded('searchLibrary', 1, ([query]) => {
      const text = parseText(query, 'query', MAX_QUERY);
      return text.ok ? library.search(text.value) : text;
    }),
    renameSpeaker: guarded('renameSpeaker', 2, ([speakerId, name]) => {
      const id = parseIndex(speakerId, 'speakerId');
      if (!id.ok) return id;
      const newName = parseNullableName(name, 'name');
      return newName.ok ? library.renameSpeaker(id.value, newName.value) : newName;
    }),
    mergeSpeakers: guarded('mergeSpeakers', 3, ([meetingId, fromLabel, intoLabel]) => {
      const id = parseId(meetingId, 'meetingId');
      if (!id.ok) return id;
      const from = parseId(fromLabel, 'fromLabel');
      if (!from.ok) return from;
      const into = parseId(intoLabel, 'intoLabel');
      return into.ok ? library.mergeSpeakers(id.value, from.value, into.value) : into;
    }),
    renameMeeting: guarded('renameMeeting', 2, ([meetingId, title]) => {
      const id = parseId(meetingId, 'meetingId');
      if (!id.ok) return id;
      const newTitle = parseText(title, 'title', 500);
      return newTitle.ok ? library.updateMeeting(id.value, { title: newTitle.value }) : newTitle;
    }),
    editSegmentText: guarded('editSegmentText', 3, ([meetingId, segmentId, text]) => {
      const id = parseId(meetingId, 'meetingId');
      if (!id.ok) return id;
      const segment = parseIndex(segmentId, 'segmentId');
      if (!segment.ok) return segment;
      const newText = parseText(text, 'text');
      return newText.ok ? library.editSegmentText(id.value, segment.value, newText.value) : newText;
    }),
    setSegmentSpeaker: guarded('setSegmentSpeaker', 3, ([meetingId, segmentId, label]) => {
      const id = parseId(meetingId, 'meetingId');
      if (!id.ok) return id;
      const segment = parseIndex(segmentId, 'segmentId');
      if (!segment.ok) return segment;
      const speaker = parseNullableName(label, 'label');
      return speaker.ok ? library.setSegmentSpeaker(id.value, segment.value, speaker.value) : speaker;
    }),
    setSegmentSpeakerName: guarded('setSegmentSpeakerName', 3, ([meetingId, segmentId, name]) => {
      const id = parseId(meetingId, 'meetingId');
      if (!id.ok) return id;
      const segment = parseIndex(segmentId, 'segmentId');
      if (!segment.ok) return segment;
      const speakerName = parseText(name, 'name', 200);
      return speakerName.ok ? library.setSegmentSpeakerName(id.value, segment.value, speakerName.value) : speakerName;
    }),
    restorePreviousTranscript: guarded('restorePreviousTranscript', 1, ([meetingId]) => {
      const id = parseId(meetingId, 'meetingId');
      return id.ok ? library.restorePreviousTranscript(id.value) : id;
    }),
    deleteMeeting: guarded('deleteMeeting', 1, async ([meetingId]) => {
      const id = parseId(meetingId, 'meetingId');
      if (!id.ok) return id;
      const meeting = library.getMeeting(id.value);
      if (!meeting.ok) return meeting;
      cancelOpenJobs(deps.jobs, id.value);
      const deleted = library.deleteMeeting(id.value);
      if (!deleted.ok) return deleted;
      const media = meeting.value.recordingPath;
      if (media !== null && isInside(deps.mediaDir, media)) {
        // The meeting is gone either way; a copy left behind only costs disk space.
        await rm(media, { force: true }).catch((error: unknown) =>
          deps.logger.warn(`Could not remove the deleted meeting's media ${media}`, error),
        );
      }
      return ok(undefined);
    }),
    renderExport: guarded('renderExport', 2, ([meetingId, format]) => {
      const id = parseId(meetingId, 'meetingId');
      if (!id.ok) return id;
      const parsedFormat = parseExportFormat(format);
      return parsedFormat.ok ? renderMeetingExport(library, id.value, parsedFormat.value) : parsedFormat;
    }),
  };
}

/** Kinds of job that change a meeting's transcript or speakers: the meeting view shows their progress. */
const MEETING_WORK: ReadonlySet<JobSummary['kind']> = new Set(['import', 'retranscribe', 'diarize']);

function meetingDetail(deps: LibraryHandlerDeps, meetingId: string): Result<MeetingDetail> {
  const { library } = deps;
  const meeting = library.getMeeting(meetingId);
  if (!meeting.ok) return meeting;
  const transcript = library.getTranscript(meetingId);
  if (!transcript.ok) return transcript;
  const speakers = library.listSpeakers(meetingId);
  if (!speakers.ok) return speakers;
  const previous = library.getPreviousTranscript(meetingId);
  if (!previous.ok) return previous;
  const open = deps.jobs.list({ states: ['queued', 'running'] });
  // Running first, then the oldest waiting (the list is newest first).
  const mine = open.ok ? open.value.filter((job) => job.meetingId === meetingId && MEETING_WORK.has(job.kind)) : [];
  const activeJob = mine.find((job) => job.state === 'running') ?? mine.at(-1) ?? null;
  return ok({
    meeting: meeting.value,
    transcript: transcript.value,
    speakers: speakers.value,
    activeJob,
    draft: activeJob?.kind === 'import' ? (deps.drafts?.get(meetingId) ?? []) : [],
    previousTranscript: previous.value,
  });
}

/** Jobs still working on a meeting being deleted would only fail (or bring it back): stop them first. */
function cancelOpenJobs(jobs: LibraryHandlerDeps['jobs'], meetingId: string): void {
  const open = jobs.list({ states: ['queued', 'running'] });
  if (!open.ok) return;
  for (const job of open.value) if (job.meetingId === meetingId) jobs.cancel(job.id);
}

function isInside(folder: string, path: string): boolean {
  const rel = relative(resolve(folder), resolve(path));
  return rel.length > 0 && !rel.startsWith('..') && !isAbsolute(rel);
}
