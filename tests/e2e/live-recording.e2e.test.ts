/**
 * Issue 16, point 7, on the real engine: a private PulseAudio microphone fed in real time, the real
 * whisper-tiny.en in the live transcription process, the speaker stand-ins for provisional labels, Debian's Chromium.
 * Forty seconds of speech without a pause commit a first line within 12-16 s of audio (while the speaker
 * is still talking), the speakers heard so far show as provisional chips, and the microphone list speaks
 * in names (no "pulse", no "default (default)"). The record screen passes axe while recording.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices } from '../../src-main/app/services';
import type { AppServices } from '../../src-main/api/types';
import { startBridge, type RunningBridge } from '../../src-main/bridge/bridge-server';
import type { TranscriptSegment } from '../../src-shared/transcript';
import { makeTempDir } from '../audio/helpers';
import { startPrivatePulse, loadDefaultPipeSource, type PrivatePulse } from '../setup/pulse';
import { realModelDir, REQUIRE_MODELS, TINY_DIARIZATION } from '../support/paths';
import { expectAccessible } from './accessibility';
import { chromiumAvailable, launchChromium, RENDERER_BUILT, screenshot, speakInto } from './e2e-helpers';

const run = promisify(execFile);
const RATE = 16_000;
const TINY_EN = realModelDir('whisper-tiny.en');
if (TINY_EN === null && REQUIRE_MODELS) throw new Error('whisper-tiny.en is missing from ../shared/models');
const started =
  chromiumAvailable() && RENDERER_BUILT && TINY_EN !== null
    ? await startPrivatePulse()
    : { ok: false as const, reason: 'Chromium, the built renderer or whisper-tiny.en is missing' };
const pulse: PrivatePulse | null = started.ok ? started.pulse : null;
if (!started.ok && process.env.VERBATIM_REQUIRE_AUDIO === '1') throw new Error(`the live recording test cannot run: ${started.reason}`);
if (pulse) process.env.PULSE_SERVER = pulse.server;

/**
 * Read without punctuation at espeak-ng's pace, then every quiet stretch over 50 ms shortened to 50 ms
 * (sox `silence`): speech without a pause that could end an utterance.
 */
const MONOLOGUE = [
  'good morning everyone let us start with the budget review for this quarter I think the numbers look fine',
  'but the travel costs went up again can you send me the updated spreadsheet after the meeting today sure I will',
  'also add the hiring plan and the new office timeline and then we can talk about the product launch in the spring',
  'which depends on the supplier contracts we signed last month and the marketing plan that the team presented on tuesday',
  'before we close I want to thank everyone for the hard work on the migration which finished two weeks early',
  'and remind you that the office is closed on friday so please plan your deliveries for thursday at the latest',
].join(' ');

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let services: AppServices;
let bridge: RunningBridge;
let browser: Browser;
let page: Page;
let fifo: string;
let moduleId = '';

async function espeak(voice: string, text: string, name: string): Promise<Float32Array> {
  const wav = path.join(temp.dir, `${name}.wav`);
  const raw = path.join(temp.dir, `${name}.f32`);
  await run('espeak-ng', ['-v', `en-us+${voice}`, '-s', '150', '-g', '0', '-w', wav, text]);
  await run('sox', [
    wav,
    '-r',
    String(RATE),
    '-c',
    '1',
    '-e',
    'floating-point',
    '-b',
    '32',
    '-t',
    'raw',
    raw,
    'silence',
    '-l',
    '1',
    '0.05',
    '1%',
    '-1',
    '0.05',
    '1%',
  ]);
  const bytes = await readFile(raw);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

describe.skipIf(!pulse)('live recording', () => {
  beforeAll(async () => {
    temp = await makeTempDir('e2e-live');
    fifo = path.join(pulse!.dir, 'vmic-live.fifo');
    moduleId = await loadDefaultPipeSource(pulse!, fifo, RATE);
    const opened = await createAppServices({
      dataDir: path.join(temp.dir, 'data'),
      localModelDir: TINY_EN as string,
      extraModelDirs: [TINY_DIARIZATION],
      sharedModelDirs: [],
      autoDiarize: false,
      device: 'cpu',
    });
    if (!opened.ok) throw new Error(`${opened.error.code}: ${opened.error.message}`);
    services = opened.value;
    bridge = await startBridge({ services });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    page = await context.newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    await page.goto(bridge.url);
  });

  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    await services?.dispose();
    if (moduleId) await pulse?.pactl('unload-module', moduleId);
    await pulse?.stop();
    await temp?.cleanup();
  });

  it('names the microphones as people know them', async () => {
    await page.getByTestId('nav-record').click();
    const select = page.getByTestId('input-device-select');
    await expect.poll(() => select.locator('option').count(), { timeout: 30_000 }).toBeGreaterThan(1);
    const devices = await services.handlers.listCaptureDevices();
    if (!devices.ok) throw new Error(devices.error.message);
    // The engine lists ALSA's plug-ins by their internal names; the page must not.
    expect(devices.value.map((device) => device.name)).toEqual(expect.arrayContaining(['pulse', 'default']));
    const labels = (await select.locator('option').allTextContents()).map((label) => label.trim());
    expect(labels[0]).toBe('System default');
    expect(labels).not.toContain('pulse');
    expect(labels).not.toContain('default');
    expect(labels.filter((label) => /\bdefault\b.*\(default\)/i.test(label))).toEqual([]);
    expect(labels).toContain('Sound server (PulseAudio / PipeWire)');
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('commits long unbroken speech within about 12 s and shows the speakers heard so far', async () => {
    const monologue = await espeak('m3', MONOLOGUE, 'monologue');
    const answer = await espeak('f4', 'Thank you that sounds good to me', 'answer');
    const monologueSeconds = monologue.length / RATE;
    expect(monologueSeconds).toBeGreaterThan(34);
    const lead = RATE / 2;
    const pause = Math.round(1.5 * RATE);
    const spoken = new Float32Array(lead + monologue.length + pause + answer.length + 2 * RATE);
    spoken.set(monologue, lead);
    spoken.set(answer, lead + monologue.length + pause);

    const commits: { segment: TranscriptSegment; atMs: number }[] = [];
    let speakingSince = 0;
    const unsubscribe = services.onEvent((event) => {
      if (event.channel === 'recording' && event.payload.type === 'committed')
        commits.push({ segment: event.payload.segment, atMs: performance.now() - speakingSince });
    });

    await expect.poll(() => page.getByTestId('record-button').isEnabled(), { timeout: 30_000 }).toBe(true);
    await page.getByTestId('record-button').click();
    await page.getByTestId('stop-button').waitFor({ timeout: 30_000 });
    speakingSince = performance.now();
    const speaking = speakInto(fifo, spoken, RATE);

    // A line is committed while the monologue is still being spoken, covering at most its first 16 s.
    await page.getByTestId('committed-segment').first().waitFor({ timeout: 60_000 });
    const first = commits[0];
    if (first === undefined) throw new Error('no commit event');
    console.log(
      `live: ${monologueSeconds.toFixed(1)} s monologue; first commit covers ${first.segment.start}–${first.segment.end} s of audio, emitted ${(first.atMs / 1000).toFixed(1)} s after the speech began`,
    );
    expect(first.segment.end).toBeLessThanOrEqual(16);
    expect(first.atMs / 1000).toBeLessThan(0.5 + monologueSeconds);
    // Provisional speaker chips appear while recording.
    await page.getByTestId('live-speaker-chip').first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('live-speakers').textContent()).toContain('provisional');
    await screenshot(page, '19-record-live-speakers');
    await expectAccessible(page, 'record-live');

    await speaking;
    await expect.poll(() => commits.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    // No stretch of the monologue waited more than 16 s of audio for its commit.
    const ends = commits.map((commit) => commit.segment.end).filter((end) => end <= 0.5 + monologueSeconds);
    const starts = [0.5, ...ends];
    for (let index = 1; index < starts.length; index += 1) expect((starts[index] ?? 0) - (starts[index - 1] ?? 0)).toBeLessThanOrEqual(16);
    console.log(`live: commits end at ${commits.map((commit) => commit.segment.end.toFixed(1)).join(', ')} s`);
    const labels = new Set(commits.flatMap((commit) => (commit.segment.speaker === null ? [] : [commit.segment.speaker])));
    expect(await page.getByTestId('live-speaker-chip').count()).toBe(labels.size);
    unsubscribe();
    await page.getByTestId('stop-button').click();
    await page.getByTestId('recording-saved-link').waitFor({ timeout: 60_000 });
    await expectAccessible(page, 'record-saved');
  }, 180_000);
});
