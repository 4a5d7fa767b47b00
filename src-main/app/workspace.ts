/**
 * The user's data folder as the app and the CLI open it: the meeting library and the durable job queue
 * in one SQLite database, the meetings' media, and the transcriber child process the jobs share. Real
 * adapters are chosen here (tests pass doubles through `adapters`).
 */
import { randomUUID } from 'node:crypto';
import { basename, extname, join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import type { DiarizeJobPayload, JobSummary, TranscriptionChoice } from '../../src-shared/jobs';
import { ok, type Result } from '../../src-shared/result';
import type { ExecutionPreference } from '../onnx/execution-provider';
import { FfmpegAudioDecoder } from '../audio/decoder';
import type { AudioDecoder } from '../audio/types';
import type { FileDiarizer } from '../diarization/file-diarizer';
import { wavChannelCount } from '../jobs/channel-speakers';
import { systemClock } from '../jobs/clock';
import { isTransientJobError } from '../jobs/transient-errors';
import type { FileTranscriber } from '../jobs/file-transcriber';
import { createJobHandlers } from '../jobs/handlers';
import { JobQueue, type JobQueueOptions } from '../jobs/job-queue';
import { SqliteJobStore } from '../jobs/sqlite-job-store';
import { TranscriptDrafts } from '../jobs/transcript-drafts';
import { ChildTranscriber } from '../jobs/transcriber-process/child-transcriber';
import type { EngineChildLauncher } from '../util/engine-child/engine-child-process';
import type { TranscriptionDefaults } from '../jobs/transcription-steps';
import type { Clock } from '../jobs/types';
import type { Workspace } from '../jobs/workspace';
import type { LibraryStore } from '../library/library-store';
import { openVerifiedLibraryDatabase, type DamagedLibraryChoice } from '../library/open-library-database';
import { storeRecordedMeetings } from '../library/recorded-meetings';
import { holdJobsWhileRecording } from '../jobs/recording-hold';
import { SqliteLibraryStore } from '../library/sqlite-library-store';
import { consoleLogger, type Logger } from '../../src-shared/logger';

export interface WorkspaceOptions {
  /** The user data folder: `library.sqlite3`, `media/`, `tmp/`. */
  dataDir: string;
  modelsDir?: string | undefined;
  extraModelDirs?: string[] | undefined;
  device?: ExecutionPreference | undefined;
  hubUrl?: string | undefined;
  /** The model jobs use when they name none. */
  defaults?: TranscriptionDefaults;
  /**
   * Queue a diarize job for every meeting once its transcript is in (import, re-transcription, recording).
   * Default false (tests and the CLI ask for it); the app passes the user's setting, read each time.
   */
  autoDiarize?: boolean | (() => boolean);
  /** The user's name for their own channel of a separated recording (read at each job); default "Me". */
  userName?: (() => string) | undefined;
  /** Jobs run at once (default 1: on two cores, two transcriptions only halve each other's speed). */
  concurrency?: number;
  leaseMs?: number;
  backoff?: JobQueueOptions['backoff'];
  adapters?: WorkspaceAdapters;
  /** A damaged library: refuse (default: the open fails with LIBRARY_DAMAGED), or open a recovered copy or a new library beside it. */
  onDamagedLibrary?: DamagedLibraryChoice | undefined;
  /** Time budget of the library's integrity check at open. */
  libraryCheckBudgetMs?: number;
  /** How the engine's child process starts: child_process.fork (default, Node), or Electron's utilityProcess in the app. */
  engineProcess?: EngineChildLauncher | undefined;
  /** Where what nobody returns is reported (a listener that threw, a cleanup that failed); default: stderr. */
  logger?: Logger;
}

export interface WorkspaceAdapters {
  clock?: Clock;
  transcriber?: FileTranscriber;
  diarizer?: FileDiarizer;
  decoder?: AudioDecoder & { binaries: { ffmpeg: { path: string } } };
}

/** Opens the data folder and starts the queue: jobs left running by a crash resume once their lease expires. */
export async function openWorkspace(options: WorkspaceOptions): Promise<Result<Workspace>> {
  const dataDir = resolve(options.dataDir);
  const logger = options.logger ?? consoleLogger();
  const decoderResult = options.adapters?.decoder ? ok(options.adapters.decoder) : FfmpegAudioDecoder.create();
  if (!decoderResult.ok) return decoderResult;
  const opened = await openVerifiedLibraryDatabase(dataDir, {
    onDamaged: options.onDamagedLibrary,
    checkBudgetMs: options.libraryCheckBudgetMs,
  });
  if (!opened.ok) return opened;
  const db = opened.value.db;
  const library = new SqliteLibraryStore(db);
  // One child process runs transcriptions and diarizations for every job (started on the first request).
  const engineChild = new ChildTranscriber({
    modelsDir: options.modelsDir || undefined,
    extraModelDirs: options.extraModelDirs,
    device: options.device,
    hubUrl: options.hubUrl || undefined,
    ffmpegPath: decoderResult.value.binaries.ffmpeg.path,
    launcher: options.engineProcess,
    logger,
  });
  const transcriber = options.adapters?.transcriber ?? engineChild;
  const diarizer = options.adapters?.diarizer ?? engineChild;
  const drafts = new TranscriptDrafts(logger);
  const disposeEngines = async (): Promise<void> => {
    await transcriber.dispose();
    if (transcriber !== engineChild) await engineChild.dispose();
  };
  const jobs = new JobQueue({
    store: new SqliteJobStore(db),
    clock: options.adapters?.clock ?? systemClock,
    handlers: createJobHandlers({
      library,
      decoder: decoderResult.value,
      transcriber,
      diarizer,
      mediaDir: join(dataDir, 'media'),
      ffmpegPath: decoderResult.value.binaries.ffmpeg.path,
      defaults: options.defaults ?? {},
      userName: options.userName,
      drafts,
    }),
    tempRoot: join(dataDir, 'tmp', 'jobs'),
    logger,
    concurrency: options.concurrency,
    leaseMs: options.leaseMs,
    backoff: options.backoff,
  });
  const wantsDiarization = (): boolean =>
    typeof options.autoDiarize === 'function' ? options.autoDiarize() : options.autoDiarize === true;
  const diarizeMeeting = (meetingId: string, speakers?: DiarizeJobPayload['speakers']): Result<JobSummary> => {
    const meeting = library.getMeeting(meetingId);
    if (!meeting.ok) return meeting;
    const waiting = jobs.list({ states: ['queued'], kinds: ['diarize'] });
    const existing = waiting.ok ? waiting.value.find((job) => job.meetingId === meetingId) : undefined;
    if (existing) return ok(existing);
    return jobs.enqueue({ kind: 'diarize', meetingId, speakers }, { title: meeting.value.title, meetingId });
  };
  const unsubscribe = jobs.onEvent((event) => {
    if (event.type !== 'changed') return;
    forgetCancelledImport(library, event.job);
    const meetingId = event.job.meetingId;
    if (meetingId !== null && isFreshTranscript(event.job) && wantsDiarization() && !hasSpeakerTurns(library, meetingId))
      diarizeMeeting(meetingId);
  });
  const started = await jobs.start();
  if (!started.ok) {
    unsubscribe();
    await disposeEngines();
    closeQuietly(db);
    return started;
  }

  let closed = false;
  const preflight = new ImportPreflight(decoderResult.value, library, jobs);
  const workspace: Workspace = {
    library,
    libraryNotice: opened.value.notice,
    jobs,
    drafts,
    importFiles(paths, choice = {}) {
      const enqueued = paths.map((path) => enqueueImport(library, jobs, resolve(path), choice));
      for (const job of enqueued) if (job.ok) preflight.check(job.value);
      return enqueued;
    },
    retranscribe(meetingId, choice = {}, keepEdits = true) {
      const meeting = library.getMeeting(meetingId);
      if (!meeting.ok) return meeting;
      return jobs.enqueue(
        { kind: 'retranscribe', meetingId, ...choice, keepEdits: keepEdits ? undefined : false },
        { title: meeting.value.title },
      );
    },
    exportMeeting(meetingId, formats, outDir) {
      const meeting = library.getMeeting(meetingId);
      if (!meeting.ok) return meeting;
      return jobs.enqueue({ kind: 'export', meetingId, formats, outDir: resolve(outDir) }, { title: meeting.value.title });
    },
    diarize: diarizeMeeting,
    attachRecorder(engine, onError = () => undefined) {
      // A recording with the system-audio monitor beside the microphone is "you" on channel 1 and everybody
      // else on channel 2: it is transcribed again channel by channel (which also finds the others' speakers)
      // instead of keeping the live transcript of the mix.
      const recordedWithMonitor = (meetingId: string): boolean => {
        const meeting = library.getMeeting(meetingId);
        return meeting.ok && meeting.value.recordingPath !== null && (wavChannelCount(meeting.value.recordingPath) ?? 1) >= 2;
      };
      const stopHolding = holdJobsWhileRecording(engine, jobs, [transcriber, engineChild]);
      const stopStoring = storeRecordedMeetings({
        library,
        subscribe: (listener) => engine.onRecordingEvent(listener),
        transcribeMeeting: (meetingId) =>
          workspace.retranscribe(meetingId, { channels: recordedWithMonitor(meetingId) ? 'separate' : undefined }),
        diarizeMeeting: (meetingId: string) => {
          if (recordedWithMonitor(meetingId)) return workspace.retranscribe(meetingId, { channels: 'separate' });
          return wantsDiarization() ? diarizeMeeting(meetingId) : ok(undefined);
        },
        importRecording: (path) => workspace.importFiles([path])[0] ?? ok(undefined),
        onError,
      });
      return () => {
        stopStoring();
        stopHolding();
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await preflight.drain();
      await jobs.stop();
      unsubscribe();
      await disposeEngines();
      closeQuietly(db);
    },
  };
  return ok(workspace);
}

function enqueueImport(library: LibraryStore, jobs: JobQueue, path: string, choice: TranscriptionChoice): Result<JobSummary> {
  const meetingId = randomUUID();
  const title = basename(path, extname(path)) || basename(path);
  const meeting = library.createMeeting({
    id: meetingId,
    title,
    sourceFile: path,
    status: 'queued',
    modelId: choice.modelId || undefined,
    language: choice.language || undefined,
  });
  if (!meeting.ok) return meeting;
  const job = jobs.enqueue({ kind: 'import', path, ...choice }, { title: basename(path), meetingId });
  if (!job.ok) library.deleteMeeting(meetingId);
  return job;
}

/** How many files are checked at once (each check is an ffprobe and a half-second trial decode). */
const PREFLIGHT_CONCURRENCY = 3;

/**
 * Checks each imported file as soon as it is queued, beside the running jobs: a broken file fails within
 * seconds with its coded error instead of waiting its turn behind hours of transcription. A job that
 * started meanwhile is left alone (its handler checks the file again).
 */
class ImportPreflight {
  private readonly waiting: JobSummary[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly decoder: AudioDecoder,
    private readonly library: LibraryStore,
    private readonly jobs: JobQueue,
  ) {}

  check(job: JobSummary): void {
    this.waiting.push(job);
    this.next();
  }

  async drain(): Promise<void> {
    this.waiting.length = 0;
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  private next(): void {
    while (this.inFlight.size < PREFLIGHT_CONCURRENCY) {
      const job = this.waiting.shift();
      if (!job) return;
      const run = this.probe(job).finally(() => {
        this.inFlight.delete(run);
        this.next();
      });
      this.inFlight.add(run);
    }
  }

  private async probe(job: JobSummary): Promise<void> {
    if (job.payload.kind !== 'import') return;
    const probed = await this.decoder.probe(job.payload.path);
    // A probe that ran out of time on a busy machine proves nothing about the file: its job checks again.
    if (probed.ok || probed.error.code === 'PROBE_TIMEOUT' || isTransientJobError(probed.error)) return;
    const rejected = this.jobs.rejectQueued(job.id, probed.error);
    if (rejected.ok && job.meetingId !== null) this.library.updateMeeting(job.meetingId, { status: 'failed', failure: probed.error });
  }
}

/** Turns already found are reused when the transcript is stored again (see storeTranscript). */
function hasSpeakerTurns(library: LibraryStore, meetingId: string): boolean {
  const turns = library.getSpeakerTurns(meetingId);
  return turns.ok && turns.value.length > 0;
}

/** An import or re-transcription just stored a transcript: the moment to find out who spoke. */
function isFreshTranscript(job: JobSummary): boolean {
  return job.state === 'succeeded' && (job.kind === 'import' || job.kind === 'retranscribe');
}

/** A cancelled import that never stored a transcript leaves no empty meeting behind. */
function forgetCancelledImport(library: LibraryStore, job: JobSummary): void {
  if (job.kind !== 'import' || job.state !== 'cancelled' || job.meetingId === null) return;
  const meeting = library.getMeeting(job.meetingId);
  if (meeting.ok && meeting.value.segmentCount === 0) library.deleteMeeting(job.meetingId);
}

function closeQuietly(db: Database.Database): void {
  try {
    db.close();
  } catch {
    // Already closed: nothing left to release.
  }
}
