import { describe, expect, it } from 'vitest';
import { friendlyDeviceName, friendlyInputs, systemAudioHint } from '../../src-renderer/src/store/devices';
import { stageLabel } from '../../src-renderer/src/store/job-labels';
import { canRetry, isRetryableError } from '../../src-renderer/src/store/jobs-logic';
import { matchingSegmentIds, splitByQuery } from '../../src-renderer/src/store/meeting-search';
import { addSample, formatTimeLeft, secondsLeft } from '../../src-renderer/src/store/progress-eta';
import type { CaptureDevice } from '../../src-shared/recording-events';
import { jobRow } from './fixtures';

describe('search inside a meeting', () => {
  it('marks every match, ignoring case and accents, and keeps the original text', () => {
    expect(splitByQuery('Le Café et le CAFE', 'cafe')).toEqual([
      { text: 'Le ', match: false },
      { text: 'Café', match: true },
      { text: ' et le ', match: false },
      { text: 'CAFE', match: true },
    ]);
    expect(splitByQuery('회의를 시작하겠습니다', '회의')).toEqual([
      { text: '회의', match: true },
      { text: '를 시작하겠습니다', match: false },
    ]);
    expect(splitByQuery('nothing here', '  ')).toEqual([{ text: 'nothing here', match: false }]);
  });

  it('lists the matching segments in order', () => {
    const segments = [
      { id: 0, text: 'ask not what your country' },
      { id: 1, text: 'can do for you' },
      { id: 2, text: 'for your COUNTRY.' },
    ];
    expect(matchingSegmentIds(segments, 'country')).toEqual([0, 2]);
    expect(matchingSegmentIds(segments, '')).toEqual([]);
  });
});

describe('time left', () => {
  it('is unknown until the job has moved for a few seconds, then follows the recent pace', () => {
    let samples = addSample([], { at: 0, progress: 20 });
    expect(secondsLeft(samples)).toBeNull();
    samples = addSample(samples, { at: 1000, progress: 21 });
    expect(secondsLeft(samples)).toBeNull();
    samples = addSample(samples, { at: 10_000, progress: 30 });
    // 10 % in 10 s: 70 % left takes 70 s.
    expect(secondsLeft(samples)).toBeCloseTo(70, 5);
    // Samples older than a minute drop out: the pace is the recent one.
    samples = addSample(samples, { at: 70_000, progress: 90 });
    expect(samples[0]?.at).toBe(10_000);
    expect(secondsLeft(samples)).toBeCloseTo(10 / (60 / 60), 5);
  });

  it('says it in words', () => {
    expect(formatTimeLeft(null)).toBeNull();
    expect(formatTimeLeft(4)).toBe('a few seconds left');
    expect(formatTimeLeft(42)).toBe('about 40 s left');
    expect(formatTimeLeft(150)).toBe('about 3 min left');
    expect(formatTimeLeft(3 * 3600 + 600)).toBe('about 3 h 10 min left');
  });
});

describe('queue wording and actions', () => {
  it('names stages in words, including ones it does not know', () => {
    expect(stageLabel('load-models')).toBe('Loading the speaker models');
    expect(stageLabel('load-model')).toBe('Loading the speech model');
    expect(stageLabel('split-channels')).toBe('Split channels');
  });

  it('offers Retry only where another attempt can help', () => {
    expect(isRetryableError('NOT_MEDIA')).toBe(false);
    expect(isRetryableError('FILE_EMPTY')).toBe(false);
    expect(isRetryableError('ENGINE_PROCESS_DIED')).toBe(true);
    expect(isRetryableError('MODEL_MISSING')).toBe(true);
    expect(canRetry(jobRow('a', { state: 'failed', lastError: { code: 'NOT_MEDIA', message: 'x' } }))).toBe(false);
    expect(canRetry(jobRow('b', { state: 'failed', lastError: { code: 'DOWNLOAD_NETWORK', message: 'x' } }))).toBe(true);
  });
});

describe('microphone names', () => {
  const device = (id: string, name: string, kind: CaptureDevice['kind'] = 'input'): CaptureDevice => ({
    id,
    name,
    kind,
    maxInputChannels: 2,
    defaultSampleRate: 48_000,
    isDefault: false,
  });

  it('hides the system default under other names and says what the ALSA plug-ins are', () => {
    const inputs = friendlyInputs([
      device('0', 'HDA Intel PCH: ALC3246 Analog (hw:0,0)'),
      device('5', 'sysdefault'),
      device('6', 'pulse'),
      device('7', 'default'),
      device('8', 'dmix'),
      device('m', 'Monitor of Built-in Audio', 'monitor'),
    ]);
    expect(inputs).toEqual([
      { id: '0', label: 'HDA Intel PCH: ALC3246 Analog' },
      { id: '5', label: 'First sound card (ALSA)' },
      { id: '6', label: 'Sound server (PulseAudio / PipeWire)' },
    ]);
    expect(friendlyDeviceName({ name: 'USB Mic' })).toBe('USB Mic');
  });

  it('explains missing system audio for the platform it runs on', () => {
    expect(systemAudioHint('linux')).toMatch(/PulseAudio or PipeWire/);
    expect(systemAudioHint('linux')).not.toMatch(/available on Linux/);
    expect(systemAudioHint('darwin')).toMatch(/macOS/);
  });
});
