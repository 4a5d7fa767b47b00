/**
 * Export job: the meeting's stored transcript rendered into each asked-for format in `outDir`, named after
 * the meeting. All-or-nothing: every file is first written in full under a temporary name, and only when
 * all are (and the job was not cancelled) are they renamed into place, so a cancel or a failure leaves no
 * partial or half-set of files.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { errorMessage } from '../../src-shared/errors';
import type { ExportJobPayload, JobResult } from '../../src-shared/jobs';
import { fail, ok, type Result } from '../../src-shared/result';
import type { Transcript } from '../../src-shared/transcript';
import { fileExtension, isExportFormat, renderTranscriptBytes, type ExportFormat, type ExportOptions } from '../export';
import { syncFolder } from '../export/write-file';
import { speakerTurnsWithNames, transcriptWithSpeakerNames } from '../library/named-transcript';
import type { JobHandlerDeps } from './handler-deps';
import { safeFileName, tempFileName } from '../util/safe-file-name';
import { jobCancelled } from './transcription-steps';
import type { JobContext, JobHandler } from './types';

interface StagedFile {
  temp: string;
  final: string;
}

export function createExportHandler(deps: JobHandlerDeps): JobHandler {
  return async (context) => {
    const payload = context.job.payload;
    if (payload.kind !== 'export') return fail('JOB_INVALID', `The export handler cannot run a ${payload.kind} job.`, context.job.id);
    try {
      return await exportMeeting(deps, context, payload);
    } catch (error) {
      return fail(
        'JOB_HANDLER_FAILED',
        `Exporting meeting ${payload.meetingId} failed unexpectedly: ${errorMessage(error)}`,
        payload.meetingId,
      );
    }
  };
}

async function exportMeeting(deps: JobHandlerDeps, context: JobContext, payload: ExportJobPayload): Promise<Result<JobResult>> {
  const { meetingId } = payload;
  const formats = [...new Set(payload.formats)];
  const unknown = formats.find((format) => !isExportFormat(format));
  if (formats.length === 0 || unknown !== undefined) return fail('JOB_INVALID', `Cannot export to "${unknown ?? 'no format'}".`, meetingId);
  const meeting = deps.library.getMeeting(meetingId);
  if (!meeting.ok) return meeting;
  if (meeting.value.transcribedAt === null)
    return fail('MEETING_NOT_TRANSCRIBED', `Meeting "${meeting.value.title}" has no transcript to export yet.`, meetingId);
  const transcript = transcriptWithSpeakerNames(deps.library, meetingId);
  if (!transcript.ok) return transcript;
  const turns = speakerTurnsWithNames(deps.library, meetingId);
  if (!turns.ok) return turns;
  const options: ExportOptions = turns.value.length > 0 ? { speakerTurns: turns.value } : {};

  const outDir = resolve(payload.outDir);
  try {
    await mkdir(outDir, { recursive: true });
  } catch (error) {
    return fail('EXPORT_DIR_NOT_FOUND', `Cannot create ${outDir}: ${errorMessage(error)}`, outDir);
  }
  const staged: StagedFile[] = [];
  for (const [index, format] of (formats as ExportFormat[]).entries()) {
    context.reportProgress((100 * index) / formats.length, 'export');
    if (context.signal.aborted) return discard(staged, jobCancelled(`Exporting "${meeting.value.title}"`, meetingId));
    const fileName = safeFileName(meeting.value.title, { extension: fileExtension(format), fallback: meetingId });
    const written = await stage(transcript.value, format, options, join(outDir, fileName));
    if (!written.ok) return discard(staged, written);
    staged.push(written.value);
  }
  if (context.signal.aborted) return discard(staged, jobCancelled(`Exporting "${meeting.value.title}"`, meetingId));
  for (const [index, file] of staged.entries()) {
    try {
      await rename(file.temp, file.final);
    } catch (error) {
      return discard(staged.slice(index), fail('EXPORT_WRITE_FAILED', `Could not write ${file.final}: ${errorMessage(error)}`, file.final));
    }
  }
  await syncFolder(outDir);
  context.reportProgress(100, 'export');
  return ok({ kind: 'export', meetingId, files: staged.map((file) => file.final) });
}

/** Renders and writes one format, flushed to disk, under a hidden temporary name next to its final one. */
async function stage(transcript: Transcript, format: ExportFormat, options: ExportOptions, final: string): Promise<Result<StagedFile>> {
  const temp = join(dirname(final), tempFileName(basename(final), `${process.pid}.${randomBytes(4).toString('hex')}`));
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(await renderTranscriptBytes(transcript, format, options));
      await handle.sync();
    } finally {
      await handle.close();
    }
    return ok({ temp, final });
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    const errorCode = code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'EXPORT_PERMISSION_DENIED' : 'EXPORT_WRITE_FAILED';
    return fail(errorCode, `Could not write ${final}: ${errorMessage(error)}`, final);
  }
}

async function discard<T extends { ok: false }>(staged: readonly StagedFile[], failure: T): Promise<T> {
  await Promise.all(staged.map((file) => rm(file.temp, { force: true }).catch(() => undefined)));
  return failure;
}
