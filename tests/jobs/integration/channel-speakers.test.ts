/**
 * "You" and "others" from the channels, with real weights (whisper-tiny.en, segmentation-3.0 and CAM++ from
 * ../shared/models): a stereo import asked with channels 'separate', and a real microphone + system-audio
 * monitor recording through a private PulseAudio daemon, each transcribed channel by channel as a durable
 * job, the user's channel named with the user's name, the other channel's speakers found by diarizing it alone.
 */
import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptSegment } from '../../../src-shared/transcript';
import { labelSeparated, mergeInTimeOrder, wavChannelCount, YOU_LABEL } from '../../../src-main/jobs/channel-speakers';
import { createEngine, type Engine } from '../../../src-main/app/engine';
import type { Workspace } from '../../../src-main/jobs/workspace';
import { audioFile, decodeAll, makeTempDir, realDecoder } from '../../audio/helpers';
import { startPrivatePulse, loadDefaultPipeSource, type PrivatePulse } from '../../setup/pulse';
import { realDiarizationModels, realModelDir, REQUIRE_MODELS, SHARED_MODELS } from '../../support/paths';
import { enqueuedIds, openTestWorkspace, untilFinal } from './workspace-helpers';

const segment = (id: number, start: number, end: number, speaker: string | null, text = `s${id}`): TranscriptSegment => ({
  id,
  start,
  end,
  text,
  speaker,
});

describe('merging the channels', () => {
  it('puts both channels in time order, the user first on a tie, numbered again', () => {
    const merged = mergeInTimeOrder(
      [segment(0, 0, 2, YOU_LABEL, 'a'), segment(1, 5, 6, YOU_LABEL, 'c')],
      [segment(0, 1, 3, null, 'b'), segment(1, 5, 7, null, 'd')],
    );
    expect(merged.map((s) => [s.id, s.text])).toEqual([
      [0, 'a'],
      [1, 'b'],
      [2, 'c'],
      [3, 'd'],
    ]);
  });

  it('labels only the others from their own turns', () => {
    const labelled = labelSeparated(
      [segment(0, 0, 2, YOU_LABEL), segment(1, 2, 4, 'SPEAKER_03')],
      [{ start: 2, end: 4, speaker: 'SPEAKER_00' }],
    );
    expect(labelled.map((s) => s.speaker)).toEqual([YOU_LABEL, 'SPEAKER_00']);
  });

  it('reads the channel count of a WAV header, null for anything else', () => {
    expect(wavChannelCount(audioFile('stereo-two-speakers.wav'))).toBe(2);
    expect(wavChannelCount(audioFile('jfk.wav'))).toBe(1);
    expect(wavChannelCount(audioFile('jfk.mp3'))).toBeNull();
    expect(wavChannelCount('/no/such/file.wav')).toBeNull();
  });
});

const whisperDir = realModelDir('whisper-tiny.en');
if (REQUIRE_MODELS && whisperDir === null)
  throw new Error(`VERBATIM_REQUIRE_MODELS=1 but whisper-tiny.en is missing from ${SHARED_MODELS}`);
const real = whisperDir !== null && realDiarizationModels() !== null;

function separatedOpen(dataDir: string, modelsDir: string): Promise<Workspace> {
  return openTestWorkspace(dataDir, {
    defaults: { modelId: 'whisper-tiny.en', modelDir: whisperDir!, dtype: 'q8' },
    extraModelDirs: [SHARED_MODELS],
    modelsDir,
    userName: () => 'Alice',
  });
}

/** The transcript's segments with the speaker names the library shows. */
function namedSegments(
  workspace: Workspace,
  meetingId: string,
): { text: string; speaker: string | null; name: string | null; start: number }[] {
  const transcript = workspace.library.getTranscript(meetingId);
  const speakers = workspace.library.listSpeakers(meetingId);
  if (!transcript.ok || !speakers.ok) throw new Error('meeting not readable');
  return transcript.value.segments.map((s) => ({
    text: s.text.toLowerCase(),
    speaker: s.speaker,
    start: s.start,
    name: speakers.value.find((speaker) => speaker.label === s.speaker)?.name ?? null,
  }));
}

describe.runIf(real)('a stereo import with channels separate (real models)', () => {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  let workspace: Workspace;
  beforeAll(async () => {
    temp = await makeTempDir('channel-speakers');
    workspace = await separatedOpen(path.join(temp.dir, 'data'), path.join(temp.dir, 'models'));
  }, 60_000);
  afterAll(async () => {
    await workspace?.close();
    await temp?.cleanup();
  });

  it('transcribes each channel on its own: the left one is Alice, the right one somebody else, in time order', async () => {
    const [jobId] = enqueuedIds(workspace.importFiles([audioFile('stereo-two-speakers.wav')], { channels: 'separate', language: 'en' }));
    const job = (await untilFinal(workspace, [jobId!], 240_000)).get(jobId!)!;
    expect(job.state, JSON.stringify(job.lastError)).toBe('succeeded');
    const segments = namedSegments(workspace, job.meetingId!);
    console.log(
      `separated import: ${segments.map((s) => `[${s.speaker}${s.name ? `=${s.name}` : ''} ${s.start.toFixed(2)}] ${s.text}`).join(' | ')}`,
    );
    const wizard = segments.find((s) => s.text.includes('wizard'));
    const horizon = segments.find((s) => s.text.includes('horizon'));
    expect(wizard).toMatchObject({ speaker: YOU_LABEL, name: 'Alice' });
    expect(horizon?.speaker).toMatch(/^SPEAKER_\d\d$/);
    for (let i = 1; i < segments.length; i += 1) expect(segments[i]!.start).toBeGreaterThanOrEqual(segments[i - 1]!.start);
    // The playable copy keeps both channels, so a re-run of "Find speakers" diarizes the others' channel only.
    const meeting = workspace.library.getMeeting(job.meetingId!);
    const probe = meeting.ok && meeting.value.recordingPath ? await realDecoder().probe(meeting.value.recordingPath) : null;
    expect(probe?.ok && probe.value.channels).toBe(2);
    const diarize = workspace.diarize(job.meetingId!);
    if (!diarize.ok) throw new Error(diarize.error.message);
    const rerun = (await untilFinal(workspace, [diarize.value.id], 120_000)).get(diarize.value.id)!;
    expect(rerun.state).toBe('succeeded');
    const after = namedSegments(workspace, job.meetingId!);
    expect(after.find((s) => s.text.includes('wizard'))).toMatchObject({ speaker: YOU_LABEL, name: 'Alice' });
    expect(after.find((s) => s.text.includes('horizon'))?.speaker).toMatch(/^SPEAKER_\d\d$/);
  }, 360_000);
});

const RATE = 16_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const started =
  real && process.platform === 'linux'
    ? await startPrivatePulse()
    : ({ ok: false, reason: real ? 'PulseAudio capture runs on Linux' : 'no real models' } as const);
if (real && !started.ok && process.env.VERBATIM_REQUIRE_AUDIO === '1')
  throw new Error(`mic + monitor recording test cannot run: ${started.reason}`);
const pulse: PrivatePulse | null = started.ok ? started.pulse : null;
// Before PortAudio initialises in this worker: its default ALSA device reaches this daemon.
if (pulse) process.env.PULSE_SERVER = pulse.server;

/** Writes float32 mono 16 kHz into the pipe source's FIFO at real time (100 ms slices). */
async function feedFifo(fifo: string, samples: Float32Array): Promise<void> {
  const handle = await open(fifo, 'w');
  try {
    const slice = RATE / 10;
    const begin = performance.now();
    for (let at = 0; at < samples.length; at += slice) {
      const part = samples.subarray(at, Math.min(samples.length, at + slice));
      await handle.write(Buffer.from(part.buffer, part.byteOffset, part.byteLength));
      await sleep(Math.max(0, begin + ((at + slice) / RATE) * 1000 - performance.now()));
    }
  } finally {
    await handle.close();
  }
}

/** Plays float32 mono 16 kHz into a sink with pacat; resolves when drained. */
function playInto(sink: string, samples: Float32Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('pacat', ['--playback', `--device=${sink}`, '--format=float32le', `--rate=${RATE}`, '--channels=1', '--raw'], {
      env: { ...process.env, ...pulse!.env },
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`pacat exited ${code}`));
    });
    child.stdin.end(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
  });
}

describe.runIf(pulse !== null)('a microphone + monitor recording (real PulseAudio capture, real models)', () => {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  let engine: Engine;
  let workspace: Workspace;
  let micModule: string;
  let fifo: string;

  beforeAll(async () => {
    temp = await makeTempDir('channel-recording');
    fifo = path.join(pulse!.dir, 'vmic-channels.fifo');
    micModule = await loadDefaultPipeSource(pulse!, fifo, RATE);
    engine = createEngine({ recordingsDir: path.join(temp.dir, 'recordings'), modelsDir: path.join(temp.dir, 'models'), device: 'cpu' });
    workspace = await separatedOpen(path.join(temp.dir, 'data'), path.join(temp.dir, 'models'));
  }, 60_000);
  afterAll(async () => {
    await engine?.dispose();
    await workspace?.close();
    if (pulse) {
      await pulse.pactl('unload-module', micModule).catch(() => undefined);
      await pulse.stop();
    }
    await temp?.cleanup();
  });

  it('the microphone is Alice, the monitor is the others, after the recording is transcribed channel by channel', async () => {
    const decoder = realDecoder();
    // JFK in the microphone; the two-speaker conversation on the monitor after him (each 11 s).
    const jfk = await decodeAll(decoder, audioFile('jfk.wav'));
    const others = (await decodeAll(decoder, audioFile('two-speakers.wav'))).slice(Math.round(6.6 * RATE), Math.round(17.8 * RATE));
    const saved = new Promise<string>((resolve) => {
      const stop = workspace.jobs.onEvent((event) => {
        if (
          event.type === 'changed' &&
          event.job.kind === 'retranscribe' &&
          ['succeeded', 'failed', 'cancelled'].includes(event.job.state)
        ) {
          stop();
          resolve(event.job.id);
        }
      });
    });
    workspace.attachRecorder(engine);
    const recording = await engine.recorder.start({ monitorDeviceId: 'vsink.monitor', transcribe: false });
    if (!recording.ok) throw new Error(`${recording.error.code}: ${recording.error.message}`);
    await sleep(300);
    const micTrack = new Float32Array(jfk.length + others.length + RATE);
    micTrack.set(jfk, RATE / 2);
    await Promise.all([feedFifo(fifo, micTrack), sleep(500 + (1000 * jfk.length) / RATE + 300).then(() => playInto('vsink', others))]);
    await sleep(500);
    const summary = await engine.recorder.stop();
    if (!summary.ok) throw new Error(`${summary.error.code}: ${summary.error.message}`);
    const jobId = await saved;
    const final = (await untilFinal(workspace, [jobId], 300_000)).get(jobId)!;
    expect(final.state, JSON.stringify(final.lastError)).toBe('succeeded');
    if (final.payload.kind !== 'retranscribe') throw new Error(`a ${final.payload.kind} job followed the recording`);
    expect(final.payload.channels).toBe('separate');
    const segments = namedSegments(workspace, final.payload.meetingId);
    console.log(
      `mic + monitor recording: ${segments.map((s) => `[${s.speaker}${s.name ? `=${s.name}` : ''} ${s.start.toFixed(2)}] ${s.text}`).join(' | ')}`,
    );
    const fellow = segments.find((s) => s.text.includes('fellow americans'));
    expect(fellow).toMatchObject({ speaker: YOU_LABEL, name: 'Alice' });
    const theirs = segments.filter((s) => s.speaker !== YOU_LABEL);
    expect(theirs.length).toBeGreaterThan(0);
    for (const segment of theirs) expect(segment.speaker).toMatch(/^SPEAKER_\d\d$/);
    // Nothing JFK said is attributed to the others, nothing of the monitor to Alice.
    expect(theirs.some((s) => s.text.includes('americans'))).toBe(false);
    for (let i = 1; i < segments.length; i += 1) expect(segments[i]!.start).toBeGreaterThanOrEqual(segments[i - 1]!.start);
  }, 360_000);
});
