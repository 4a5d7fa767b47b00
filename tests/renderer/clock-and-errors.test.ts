import { describe, expect, it } from 'vitest';
import { clockOnLevel, clockOnStatus, elapsedSeconds, resetClock } from '../../src-renderer/src/store/elapsed-clock';
import { describeError } from '../../src-renderer/src/store/error-text';
import type { ErrorCode } from '../../src-shared/errors';
import { formatDuration } from '../../src-renderer/src/store/format';

describe('elapsed recording time', () => {
  it('runs only while recording, so pauses are excluded', () => {
    let clock = clockOnStatus(resetClock(), 'recording', 1_000);
    clock = clockOnStatus(clock, 'paused', 6_000);
    expect(elapsedSeconds(clock, 50_000)).toBe(5);
    clock = clockOnStatus(clock, 'recording', 60_000);
    expect(elapsedSeconds(clock, 63_000)).toBe(8);
  });

  it('prefers the recorded seconds that level events carry', () => {
    const clock = clockOnLevel(clockOnStatus(resetClock(), 'recording', 0), 4.25);
    expect(elapsedSeconds(clock, 99_000)).toBe(4.25);
  });

  it('formats minutes and hours', () => {
    expect([formatDuration(0), formatDuration(75.9), formatDuration(3725)]).toEqual(['0:00', '1:15', '1:02:05']);
  });
});

describe('errors in plain words', () => {
  it('explains known codes and falls back to the engine message', () => {
    expect(describeError({ code: 'FILE_EMPTY', message: 'size 0' })).toBe('The file is empty.');
    expect(describeError({ code: 'NO_AUDIO_STREAM', message: 'x' })).toBe('This file has no sound track.');
    expect(describeError({ code: 'DOWNLOAD_NETWORK', message: 'ECONNRESET' })).toMatch(/no connection/);
    // A code without words shows the engine's message, which names the input.
    expect(describeError({ code: 'MEDIA_WRITE_FAILED', message: 'The disk said no.' })).toBe('The disk said no.');
    expect(describeError({ code: 'CANCELLED', message: 'Download of onnx/encoder.onnx was cancelled.' })).toBe(
      'Download of onnx/encoder.onnx was cancelled.',
    );
    // A code from a newer engine than the page (a wire value the table does not know) falls back the same way.
    expect(describeError({ code: 'SOMETHING_NEW' as ErrorCode, message: 'The disk said no.' })).toBe('The disk said no.');
    expect(describeError({ code: 'MEDIA_WRITE_FAILED', message: ' ' })).toBe('Something went wrong (MEDIA_WRITE_FAILED).');
  });
});
