/**
 * kill -9 of the process running an import, in the middle of transcription: on the next start the job
 * goes back to the queue once its lease expires, runs again and stores a transcript with no segment
 * missing or doubled (equal to an uninterrupted import of the same file). The killed host's transcriber
 * child does not outlive it.
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent, JobSummary } from '../../../src-shared/jobs';
import type { Workspace } from '../../../src-main/jobs/workspace';
import { audioFile, ffmpeg, makeTempDir, realDecoder } from '../../audio/helpers';
import { REPO_ROOT, TINY_MULTILINGUAL } from '../../support/paths';
import { enqueuedIds, openTestWorkspace, untilFinal } from './workspace-helpers';

const LEASE_MS = 3000;
const host = path.join(REPO_ROOT, 'tests/jobs/integration/fixtures/import-host.ts');
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let recording: string;
const opened: Workspace[] = [];

beforeAll(async () => {
  temp = await makeTempDir('kill-resume');
  // 88 s of speech: jfk eight times, so the kill lands well inside transcription.
  recording = path.join(temp.dir, 'long-meeting.m4a');
  const inputs = Array.from({ length: 8 }, () => ['-i', audioFile('jfk.wav')]).flat();
  await ffmpeg(realDecoder(), [...inputs, '-filter_complex', `concat=n=8:v=0:a=1`, '-c:a', 'aac', '-b:a', '64k', recording]);
});

afterAll(async () => {
  for (const workspace of opened) await workspace.close();
  await temp?.cleanup();
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!condition() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 50));
  return condition();
}

/** Runs the host until its import is this far into transcription, then kills it -9. */
async function importAndKill(dataDir: string, killAtPercent: number): Promise<{ transcriberPid: number; killedAt: JobEvent }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', host, JSON.stringify({ dataDir, modelDir: TINY_MULTILINGUAL, leaseMs: LEASE_MS, importPath: recording })],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  const lines = createInterface({ input: child.stdout });
  let transcriberPid = 0;
  let killedAt: JobEvent | null = null;
  for await (const line of lines) {
    const event = JSON.parse(line) as (JobEvent & { transcriberPid: number | null }) | { type: string };
    if (!('transcriberPid' in event)) continue;
    if (event.transcriberPid) transcriberPid = event.transcriberPid;
    if (event.type === 'progress' && event.stage === 'transcribe' && event.progress >= killAtPercent && transcriberPid) {
      killedAt = event;
      child.kill('SIGKILL');
      break;
    }
    if (event.type === 'changed' && event.job.state !== 'running' && event.job.state !== 'queued')
      throw new Error(`the import ended before the kill: ${event.job.state}`);
  }
  lines.close();
  expect(await exited).toBe('SIGKILL');
  if (!killedAt) throw new Error('the host exited before the kill');
  return { transcriberPid, killedAt };
}

describe('an import whose process is killed -9', () => {
  it('resumes on the next start and stores the transcript with no segment missing or doubled', async () => {
    const dataDir = path.join(temp.dir, 'killed');
    const { transcriberPid, killedAt } = await importAndKill(dataDir, 45);
    // The transcriber child sees its parent's IPC channel close and exits.
    expect(await until(() => !alive(transcriberPid), 5000)).toBe(true);

    const restartedAt = Date.now();
    const workspace = await openTestWorkspace(dataDir, { leaseMs: LEASE_MS });
    opened.push(workspace);
    const jobs = workspace.jobs.list();
    if (!jobs.ok) throw new Error(jobs.error.message);
    expect(jobs.value).toHaveLength(1);
    const job = jobs.value[0] as JobSummary;
    const finished = (await untilFinal(workspace, [job.id], 180_000)).get(job.id) as JobSummary;
    const resumedAfterMs = Date.now() - restartedAt;
    expect(finished.state).toBe('succeeded');
    expect(finished.attempts).toBe(2);

    // The same file imported without interruption, for reference.
    const reference = await openTestWorkspace(path.join(temp.dir, 'reference'));
    opened.push(reference);
    const [referenceJob] = enqueuedIds(reference.importFiles([recording]));
    const referenceRow = (await untilFinal(reference, [referenceJob as string], 180_000)).get(referenceJob as string) as JobSummary;
    expect(referenceRow.state).toBe('succeeded');

    const stored = workspace.library.getTranscript(finished.meetingId as string);
    const expected = reference.library.getTranscript(referenceRow.meetingId as string);
    if (!stored.ok || !expected.ok) throw new Error('transcript missing');
    const shape = (segments: typeof stored.value.segments): string[] =>
      segments.map((segment) => `${segment.id}|${segment.start}|${segment.end}|${segment.text}`);
    expect(stored.value.segments.length).toBeGreaterThan(3);
    expect(shape(stored.value.segments)).toEqual(shape(expected.value.segments));
    const meetings = workspace.library.listMeetings();
    expect(meetings.ok && meetings.value.length).toBe(1);
    expect(await readdir(path.join(dataDir, 'tmp', 'jobs'))).toEqual([]);
    expect(await readdir(path.join(dataDir, 'media'))).toEqual([`${finished.meetingId}.ogg`]);
    console.log(
      `kill -9 at ${killedAt.type === 'progress' ? killedAt.progress.toFixed(0) : '?'} % (transcribing); restart → resumed and done in ${(resumedAfterMs / 1000).toFixed(1)} s (lease ${LEASE_MS} ms); ${stored.value.segments.length} segments, equal to an uninterrupted import`,
    );
  }, 600_000);
});
