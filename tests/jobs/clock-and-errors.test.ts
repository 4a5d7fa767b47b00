import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src-main/jobs/clock';
import { isTransientJobError } from '../../src-main/jobs/transient-errors';
import type { ErrorCode } from '../../src-shared/errors';
import { ManualClock } from '../support/manual-clock';

describe('ManualClock', () => {
  it('fires due timers in time order (creation order on ties), including ones set by callbacks, and skips cleared ones', () => {
    const clock = new ManualClock(1_000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 200);
    clock.setTimeout(() => {
      fired.push(`a@${clock.now()}`);
      clock.setTimeout(() => fired.push(`c@${clock.now()}`), 50);
    }, 100);
    clock.setTimeout(() => fired.push(`b2@${clock.now()}`), 200);
    const cleared = clock.setTimeout(() => fired.push('never'), 10);
    clock.clearTimeout(cleared);
    expect(clock.pendingTimers).toBe(3);
    clock.advance(99);
    expect(fired).toEqual([]);
    clock.advanceTo(1_500);
    expect(fired).toEqual(['a@1100', 'c@1150', 'b@1200', 'b2@1200']);
    expect(clock.now()).toBe(1_500);
    expect(clock.pendingTimers).toBe(0);
    expect(() => clock.advanceTo(1_000)).toThrow(/forward/);
  });
});

describe('systemClock', () => {
  it('runs a timer on real time, and a cleared one never fires', async () => {
    const fired: string[] = [];
    const start = systemClock.now();
    const cleared = systemClock.setTimeout(() => fired.push('cleared'), 1);
    systemClock.clearTimeout(cleared);
    await new Promise<void>((resolve) => systemClock.setTimeout(() => (fired.push('ran'), resolve()), 5));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fired).toEqual(['ran']);
    expect(systemClock.now()).toBeGreaterThanOrEqual(start);
  });
});

describe('isTransientJobError', () => {
  it.each<[ErrorCode, string]>([
    ['ENGINE_PROCESS_DIED', ''],
    ['JOB_LEASE_LOST', ''],
    ['JOB_CRASHED', ''],
    ['DOWNLOAD_NETWORK', ''],
    ['DOWNLOAD_HTTP_TRANSIENT', ''],
    ['JOB_STORE_FAILED', 'SQLITE_BUSY: database is locked'],
    ['LIBRARY_WRITE_FAILED', 'SQLITE_BUSY_SNAPSHOT: database is locked'],
  ])('%s %s is transient', (code, message) => {
    expect(isTransientJobError({ code, message })).toBe(true);
  });

  it.each<[ErrorCode, string]>([
    ['FILE_NOT_FOUND', ''],
    ['FILE_EMPTY', ''],
    ['NOT_MEDIA', ''],
    ['NO_AUDIO_STREAM', ''],
    ['TRUNCATED_OR_CORRUPT', ''],
    ['UNSUPPORTED_CODEC', ''],
    ['DOWNLOAD_CHECKSUM_MISMATCH', ''],
    ['DOWNLOAD_NOT_FOUND', ''],
    ['JOB_HANDLER_THREW', ''],
    ['CANCELLED', ''],
    ['JOB_STORE_FAILED', 'SQLITE_CORRUPT: database disk image is malformed'],
  ])('%s %s is permanent', (code, message) => {
    expect(isTransientJobError({ code, message })).toBe(false);
  });
});
