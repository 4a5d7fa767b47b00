/**
 * Diarization as a durable job on the real workspace: an import is followed by a diarize job (auto), which
 * finds the two espeak voices with the generated ONNX models, stores the turns with the transcript
 * attributed to them, keeps user-given names across a rerun, exports RTTM, and cancels cleanly.
 */
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobSummary } from '../../../src-shared/jobs';
import { renderMeetingExport } from '../../../src-main/api/export-rendering';
import { scoreDiarization } from '../../../src-main/diarization/der';
import { parseRttm } from '../../../src-main/diarization/rttm';
import type { SpeakerTurn } from '../../../src-main/diarization/types';
import type { Workspace } from '../../../src-main/jobs/workspace';
import { ffmpeg, makeTempDir, realDecoder } from '../../audio/helpers';
import { converse, EspeakSpeech, SENTENCES } from '../../diarization/espeak-speech';
import { TINY_DIARIZATION } from '../../support/paths';
import { enqueuedIds, openTestWorkspace, untilFinal } from './workspace-helpers';

const SR = 16_000;
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let conversationPath: string;
let reference: SpeakerTurn[];
let workspace: Workspace;

beforeAll(async () => {
  temp = await makeTempDir('diarize-job');
  const speech = await EspeakSpeech.create();
  try {
    const parts = [];
    for (let turn = 0; turn < 8; turn += 1) {
      const voice = turn % 2 === 0 ? 'm3' : 'f4';
      parts.push({ voice, samples: await speech.say(voice, SENTENCES[turn % SENTENCES.length]!) });
    }
    const { audio, utterances } = converse(parts, 0.8);
    reference = utterances.map((u) => ({ start: u.start / SR, end: u.end / SR, speaker: u.voice }));
    const raw = path.join(temp.dir, 'conversation.f32');
    await writeFile(raw, Buffer.from(audio.buffer, audio.byteOffset, audio.byteLength));
    conversationPath = path.join(temp.dir, 'two-voices.wav');
    await ffmpeg(realDecoder(), ['-f', 'f32le', '-ar', String(SR), '-ac', '1', '-i', raw, '-c:a', 'pcm_s16le', conversationPath]);
  } finally {
    await speech.cleanup();
  }
  workspace = await openTestWorkspace(path.join(temp.dir, 'data'), {
    autoDiarize: true,
    extraModelDirs: [TINY_DIARIZATION],
    modelsDir: path.join(temp.dir, 'models'),
  });
}, 120_000);

afterAll(async () => {
  await workspace?.close();
  await temp?.cleanup();
});

function diarizeJobsOf(meetingId: string): JobSummary[] {
  const jobs = workspace.jobs.list({ kinds: ['diarize'] });
  if (!jobs.ok) throw new Error(jobs.error.message);
  return jobs.value.filter((job) => job.meetingId === meetingId);
}

async function waitForDiarizeJob(meetingId: string, timeoutMs: number): Promise<JobSummary> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const job = diarizeJobsOf(meetingId)[0];
    if (job) return (await untilFinal(workspace, [job.id], deadline - Date.now())).get(job.id)!;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('no diarize job was queued');
}

describe('the diarize job', () => {
  let meetingId: string;

  it('follows an import, finds both voices and attributes the transcript to them', async () => {
    const [importId] = enqueuedIds(workspace.importFiles([conversationPath]));
    const imported = (await untilFinal(workspace, [importId!], 120_000)).get(importId!)!;
    expect(imported.state).toBe('succeeded');
    meetingId = imported.meetingId!;
    const job = await waitForDiarizeJob(meetingId, 120_000);
    expect(job).toMatchObject({ state: 'succeeded', progress: 100, result: { kind: 'diarize', meetingId } });

    const turns = workspace.library.getSpeakerTurns(meetingId);
    if (!turns.ok) throw new Error(turns.error.message);
    expect(new Set(turns.value.map((turn) => turn.speaker))).toEqual(new Set(['SPEAKER_00', 'SPEAKER_01']));
    const score = scoreDiarization(reference, turns.value);
    if (!score.ok) throw new Error(score.error.message);
    console.log(
      `diarize job: DER ${(100 * score.value.der).toFixed(1)} % over ${score.value.scoredSpeech.toFixed(1)} s, ${turns.value.length} turns`,
    );
    expect(score.value.der).toBeLessThan(0.3);

    const transcript = workspace.library.getTranscript(meetingId);
    if (!transcript.ok) throw new Error(transcript.error.message);
    const speakers = workspace.library.listSpeakers(meetingId);
    if (!speakers.ok) throw new Error(speakers.error.message);
    expect(transcript.value.segments.length).toBeGreaterThan(0);
    const used = new Set(transcript.value.segments.map((segment) => segment.speaker));
    expect([...used].every((speaker) => speaker === null || speaker === 'SPEAKER_00' || speaker === 'SPEAKER_01')).toBe(true);
    expect(used.has('SPEAKER_00') || used.has('SPEAKER_01')).toBe(true);
    expect(speakers.value.map((speaker) => speaker.label).sort()).toEqual([...used].filter((s): s is string => s !== null).sort());
  }, 300_000);

  it('keeps a name the user gave across a rerun, and exports who spoke when as RTTM', async () => {
    const speakers = workspace.library.listSpeakers(meetingId);
    if (!speakers.ok) throw new Error(speakers.error.message);
    const first = speakers.value[0]!;
    expect(workspace.library.renameSpeaker(first.id, 'Dana Kim').ok).toBe(true);

    const rerun = workspace.diarize(meetingId, { exact: 2 });
    if (!rerun.ok) throw new Error(rerun.error.message);
    const done = (await untilFinal(workspace, [rerun.value.id], 120_000)).get(rerun.value.id)!;
    expect(done.state).toBe('succeeded');
    const after = workspace.library.listSpeakers(meetingId);
    expect(after.ok && after.value.find((speaker) => speaker.label === first.label)?.name).toBe('Dana Kim');

    const rttm = await renderMeetingExport(workspace.library, meetingId, 'rttm');
    if (!rttm.ok) throw new Error(rttm.error.message);
    expect(rttm.value.fileName).toMatch(/\.rttm$/);
    const parsed = parseRttm(rttm.value.content);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const stored = workspace.library.getSpeakerTurns(meetingId);
    if (!stored.ok) throw new Error(stored.error.message);
    expect(parsed.value).toHaveLength(stored.value.length);
    expect(new Set(parsed.value.map((turn) => turn.speaker))).toContain('Dana_Kim');
    for (const [index, turn] of parsed.value.entries()) expect(turn.start).toBeCloseTo(stored.value[index]!.start, 2);
  }, 300_000);

  it('attributes a re-transcription from the turns already found, without diarizing again', async () => {
    const before = diarizeJobsOf(meetingId).length;
    const again = workspace.retranscribe(meetingId);
    if (!again.ok) throw new Error(again.error.message);
    expect((await untilFinal(workspace, [again.value.id], 120_000)).get(again.value.id)?.state).toBe('succeeded');
    expect(diarizeJobsOf(meetingId)).toHaveLength(before);
    const transcript = workspace.library.getTranscript(meetingId);
    if (!transcript.ok) throw new Error(transcript.error.message);
    expect(transcript.value.segments.some((segment) => segment.speaker !== null)).toBe(true);
    const speakers = workspace.library.listSpeakers(meetingId);
    expect(speakers.ok && speakers.value.some((speaker) => speaker.name === 'Dana Kim')).toBe(true);
  }, 300_000);

  it('is cancelled promptly and leaves no temporary files', async () => {
    // Ten times the conversation (~5 min): long enough that the cancel lands while it runs.
    const longPath = path.join(temp.dir, 'long.wav');
    await ffmpeg(realDecoder(), ['-stream_loop', '9', '-i', conversationPath, '-c:a', 'pcm_s16le', longPath]);
    const meeting = workspace.library.createMeeting({ title: 'long talk', recordingPath: longPath, status: 'ready' });
    if (!meeting.ok) throw new Error(meeting.error.message);
    const queued = workspace.diarize(meeting.value.id);
    if (!queued.ok) throw new Error(queued.error.message);
    await new Promise<void>((resolve) => {
      const unsubscribe = workspace.jobs.onEvent((event) => {
        if (event.type === 'progress' && event.jobId === queued.value.id && event.stage === 'diarize') {
          unsubscribe();
          resolve();
        }
      });
    });
    const cancelledAt = Date.now();
    expect(workspace.jobs.cancel(queued.value.id).ok).toBe(true);
    const done = (await untilFinal(workspace, [queued.value.id], 30_000)).get(queued.value.id)!;
    console.log(`diarize cancel took ${Date.now() - cancelledAt} ms`);
    expect(done.state).toBe('cancelled');
    expect(await readdir(path.join(temp.dir, 'data', 'tmp', 'jobs')).catch(() => [])).toEqual([]);
  }, 120_000);

  it('keeps only the turns for a meeting not transcribed yet, leaving it untranscribed', async () => {
    const meeting = workspace.library.createMeeting({ title: 'not yet transcribed', recordingPath: conversationPath, status: 'queued' });
    if (!meeting.ok) throw new Error(meeting.error.message);
    const job = workspace.diarize(meeting.value.id);
    if (!job.ok) throw new Error(job.error.message);
    const done = (await untilFinal(workspace, [job.value.id], 60_000)).get(job.value.id)!;
    expect(done).toMatchObject({ state: 'succeeded', result: { segmentCount: 0 } });
    const turns = workspace.library.getSpeakerTurns(meeting.value.id);
    expect(turns.ok && new Set(turns.value.map((turn) => turn.speaker)).size).toBe(2);
    expect(workspace.library.getMeeting(meeting.value.id)).toMatchObject({ ok: true, value: { status: 'queued', transcribedAt: null } });
  }, 120_000);

  it('follows the setting each time a transcript is stored: off, no job; on, a job', async () => {
    let findSpeakers = false;
    const toggled = await openTestWorkspace(path.join(temp.dir, 'toggled'), {
      autoDiarize: () => findSpeakers,
      extraModelDirs: [TINY_DIARIZATION],
      modelsDir: path.join(temp.dir, 'models'),
    });
    try {
      const [importId] = enqueuedIds(toggled.importFiles([conversationPath]));
      const imported = (await untilFinal(toggled, [importId!], 120_000)).get(importId!)!;
      expect(imported.state).toBe('succeeded');
      const diarizeJobs = (): JobSummary[] => {
        const jobs = toggled.jobs.list({ kinds: ['diarize'] });
        return jobs.ok ? jobs.value : [];
      };
      expect(diarizeJobs()).toEqual([]);
      findSpeakers = true;
      const again = toggled.retranscribe(imported.meetingId!);
      if (!again.ok) throw new Error(again.error.message);
      await untilFinal(toggled, [again.value.id], 120_000);
      expect(diarizeJobs()).toHaveLength(1);
      expect(diarizeJobs()[0]?.meetingId).toBe(imported.meetingId);
    } finally {
      await toggled.close();
    }
  }, 300_000);

  it('says clearly when a meeting has no audio to diarize', async () => {
    const meeting = workspace.library.createMeeting({ title: 'typed notes', status: 'ready' });
    if (!meeting.ok) throw new Error(meeting.error.message);
    const job = workspace.diarize(meeting.value.id);
    if (!job.ok) throw new Error(job.error.message);
    const done = (await untilFinal(workspace, [job.value.id], 30_000)).get(job.value.id)!;
    expect(done).toMatchObject({ state: 'failed', attempts: 1, lastError: { code: 'MEETING_NO_MEDIA' } });
  }, 60_000);
});
