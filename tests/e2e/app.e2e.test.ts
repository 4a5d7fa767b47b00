/**
 * The app end to end, as a user drives it: the built renderer served by the browser bridge over the real
 * engine (PulseAudio virtual microphone, Silero + the generated Whisper, SQLite library and queue, ffmpeg),
 * in Debian's headless Chromium. Each screen is saved to tests/artifacts/.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices } from '../../src-main/app/services';
import type { AppServices } from '../../src-main/api/types';
import { startBridge, type RunningBridge } from '../../src-main/bridge/bridge-server';
import { audioFile, decodeAll, makeTempDir, realDecoder } from '../audio/helpers';
import { startPrivatePulse, loadDefaultPipeSource, type PrivatePulse } from '../setup/pulse';
import { parseSrtCues, parseVttCues } from '../export/parsers';
import { realModelDir, TINY_DIARIZATION, TINY_MULTILINGUAL } from '../support/paths';
import { chromiumAvailable, launchChromium, RENDERER_BUILT, screenshot, speakInto } from './e2e-helpers';

const RATE = 16_000;
const started =
  chromiumAvailable() && RENDERER_BUILT
    ? await startPrivatePulse()
    : { ok: false as const, reason: 'Chromium or the built renderer is missing' };
const pulse: PrivatePulse | null = started.ok ? started.pulse : null;
if (!started.ok && process.env.VERBATIM_REQUIRE_AUDIO === '1') throw new Error(`the app's end-to-end test cannot run: ${started.reason}`);
if (pulse) process.env.PULSE_SERVER = pulse.server;

// The real whisper-tiny.en when ../shared/models has it (CI does): a random-weight model's live commits are noise.
const SPEECH_MODEL = realModelDir('whisper-tiny.en') ?? TINY_MULTILINGUAL;

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let services: AppServices;
let bridge: RunningBridge;
let browser: Browser;
let page: Page;
let fifo: string;
let moduleId: string;
let speech: Float32Array;
let openedMeetingId = '';

async function openedTranscript(): Promise<{ segments: { text: string }[] }> {
  const detail = await services.handlers.getMeeting(openedMeetingId);
  if (!detail.ok) throw new Error(detail.error.message);
  return detail.value.transcript;
}

describe.skipIf(!pulse)('the app in a browser, on the real engine', () => {
  beforeAll(async () => {
    temp = await makeTempDir('e2e');
    fifo = path.join(pulse!.dir, 'vmic-e2e.fifo');
    moduleId = await loadDefaultPipeSource(pulse!, fifo, RATE);
    speech = await decodeAll(realDecoder(), audioFile('jfk.wav'));
    const opened = await createAppServices({
      dataDir: path.join(temp.dir, 'data'),
      localModelDir: SPEECH_MODEL,
      extraModelDirs: [TINY_DIARIZATION],
      sharedModelDirs: [],
      device: 'cpu',
    });
    if (!opened.ok) throw new Error(`${opened.error.code}: ${opened.error.message}`);
    services = opened.value;
    bridge = await startBridge({ services });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1100, height: 760 }, acceptDownloads: true });
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

  it('records from the microphone while speech plays and shows the transcript grow', async () => {
    await page.getByTestId('nav-record').click();
    await expect.poll(() => page.getByTestId('record-button').isEnabled(), { timeout: 30_000 }).toBe(true);
    await screenshot(page, '01-record-idle');
    await page.getByTestId('record-button').click();
    await page.getByTestId('stop-button').waitFor({ timeout: 30_000 });
    const spoken = new Float32Array(RATE / 2 + 2 * speech.length + RATE);
    spoken.set(speech, RATE / 2);
    spoken.set(speech, RATE / 2 + speech.length);
    const speaking = speakInto(fifo, spoken, RATE);
    // The first utterance is committed while the second is still being spoken.
    await page.getByTestId('committed-segment').first().waitFor({ timeout: 60_000 });
    const midway = await page.getByTestId('committed-segment').count();
    await screenshot(page, '02-record-live');
    await speaking;
    await expect.poll(() => page.getByTestId('committed-segment').count(), { timeout: 30_000 }).toBeGreaterThan(midway);
    const level = await page.getByTestId('level-meter').getAttribute('aria-valuenow');
    expect(level).not.toBeNull();
    await page.getByTestId('stop-button').click();
    await page.getByTestId('recording-saved-link').waitFor({ timeout: 60_000 });
    await screenshot(page, '03-record-saved');
  }, 180_000);

  it('finds the recording in the library', async () => {
    await page.getByTestId('nav-library').click();
    await page.getByTestId('meeting-row').first().waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('meeting-row').count()).toBe(1);
    await screenshot(page, '04-library');
  });

  it('imports jfk.wav and watches its progress bar reach done', async () => {
    await page.getByTestId('import-input').setInputFiles(audioFile('jfk.wav'));
    await page.getByTestId('nav-queue').click();
    const row = page.getByTestId('job-row').first();
    await row.waitFor({ timeout: 10_000 });
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 120_000 }).toBe('succeeded');
    expect(await row.getByTestId('job-progress').getAttribute('aria-valuenow')).toBe('100');
    // Let the bar's width transition finish before the picture.
    await page.waitForTimeout(400);
    await screenshot(page, '05-queue-done');
  }, 150_000);

  it('searches a phrase from the import and opens the meeting at its time', async () => {
    const meetings = await services.handlers.listMeetings();
    if (!meetings.ok) throw new Error(meetings.error.message);
    const imported = meetings.value.find((meeting) => meeting.sourceFile?.endsWith('jfk.wav'));
    if (!imported) throw new Error('the import is not in the library');
    openedMeetingId = imported.id;
    const detail = await services.handlers.getMeeting(imported.id);
    if (!detail.ok) throw new Error(detail.error.message);
    const segment = detail.value.transcript.segments.find((candidate) => candidate.text.trim().split(/\s+/).length >= 2);
    if (!segment) throw new Error('no segment to search for');
    const phrase = segment.text.trim().split(/\s+/).slice(0, 2).join(' ');
    await page.getByTestId('nav-library').click();
    await page.getByTestId('search-input').fill(phrase);
    // The recording made earlier hears the same speech: open the import's own hit, not whichever ranks first.
    const hit = page.locator(`[data-testid="search-hit"][data-meeting-id="${imported.id}"][data-segment-id="${segment.id}"]`);
    await hit.waitFor({ timeout: 10_000 });
    await screenshot(page, '06-search');
    await hit.click();
    await page.getByTestId('audio-player').waitFor({ timeout: 10_000 });
    await page.locator(`[data-testid="segment"][data-segment-id="${segment.id}"]`).waitFor();
    await screenshot(page, '07-meeting');
  });

  it('says who spoke a segment, renames that speaker, and the name persists', async () => {
    const first = page.getByTestId('segment').first();
    await first.getByTestId('segment-speaker-button').click();
    // The diarizer's label typed as such: its speaker if it was found, else a new one with that label.
    await first.getByTestId('segment-speaker-input').fill('SPEAKER_00');
    await first.getByTestId('segment-speaker-save').click();
    const chip = page.getByTestId('speaker-chip').first();
    await chip.waitFor({ timeout: 10_000 });
    await chip.click();
    await page.getByTestId('speaker-rename-input').fill('John F. Kennedy');
    await page.getByTestId('speaker-rename-input').press('Enter');
    await expect.poll(() => page.getByTestId('speaker-chip').first().textContent(), { timeout: 10_000 }).toContain('John F. Kennedy');
    await expect.poll(() => first.textContent()).toContain('John F. Kennedy');
    const stored = await services.handlers.getMeeting(openedMeetingId);
    if (!stored.ok) throw new Error(stored.error.message);
    expect(stored.value.speakers.map((speaker) => [speaker.label, speaker.name])).toEqual([['SPEAKER_00', 'John F. Kennedy']]);
    expect(stored.value.transcript.segments[0]?.speaker).toBe('SPEAKER_00');
    await screenshot(page, '07b-speaker-renamed');
  });

  it('exports srt and vtt that parse back to the transcript', async () => {
    const exportedFrom = await openedTranscript();
    for (const format of ['srt', 'vtt'] as const) {
      await page.getByTestId('export-button').click();
      await page.getByTestId(`export-format-${format}`).check();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-confirm').click()]);
      const saved = path.join(temp.dir, `export.${format}`);
      await download.saveAs(saved);
      expect(download.suggestedFilename().endsWith(`.${format}`)).toBe(true);
      const text = await readFile(saved, 'utf8');
      const cues = format === 'srt' ? parseSrtCues(text) : parseVttCues(text).cues;
      if (format === 'vtt') expect(parseVttCues(text).errors).toEqual([]);
      // Every word of the stored transcript is in the cues, in order; the renamed speaker speaks by name.
      const words = (value: string): string[] => value.split(/\s+/).filter(Boolean);
      const spoken =
        format === 'srt'
          ? cues.map((cue) => cue.lines.join(' '))
          : cues.map((cue) => `${cue.voice ? `${cue.voice}: ` : ''}${cue.lines.join(' ')}`);
      expect(spoken[0]?.startsWith('John F. Kennedy: ')).toBe(true);
      const withoutSpeaker = spoken.map((text) => text.replace(/^John F\. Kennedy: /, ''));
      expect(words(withoutSpeaker.join(' '))).toEqual(words(exportedFrom.segments.map((segment) => segment.text).join(' ')));
      await page.getByTestId('export-result').waitFor();
      await screenshot(page, `08-export-${format}`);
      await page.keyboard.press('Escape');
    }
  });

  it('finds speakers from the meeting view; the job runs and the renamed speaker keeps the name', async () => {
    await page.getByTestId('diarize-button').click();
    await page.getByTestId('diarize-mode').selectOption('exact');
    await page.getByTestId('diarize-exact').fill('1');
    await screenshot(page, '08c-find-speakers');
    await page.getByTestId('diarize-confirm').click();
    const diarizeDone = async (): Promise<string | null> => {
      const jobs = await services.handlers.listJobs();
      if (!jobs.ok) return null;
      const job = jobs.value.find(
        (candidate) =>
          candidate.kind === 'diarize' &&
          candidate.meetingId === openedMeetingId &&
          candidate.payload.kind === 'diarize' &&
          candidate.payload.speakers?.exact === 1,
      );
      return job?.state ?? null;
    };
    await expect.poll(diarizeDone, { timeout: 60_000 }).toBe('succeeded');
    await expect.poll(() => page.getByTestId('speaker-chip').first().textContent(), { timeout: 10_000 }).toContain('John F. Kennedy');
    const stored = await services.handlers.getMeeting(openedMeetingId);
    if (!stored.ok) throw new Error(stored.error.message);
    expect(stored.value.speakers.map((speaker) => [speaker.label, speaker.name])).toEqual([['SPEAKER_00', 'John F. Kennedy']]);
    expect(stored.value.transcript.segments.every((segment) => segment.speaker === 'SPEAKER_00')).toBe(true);
    await screenshot(page, '08d-speakers-found');
  });

  it('shows settings with the detected execution provider', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-model-row').first().waitFor();
    await screenshot(page, '09-settings');
  });
});
