import { describe, expect, it } from 'vitest';
import { fail, ok, type Result } from '../../src-shared/result';
import { backoffDelayMs, retryWithBackoff } from '../../src-main/util/retry';

describe('retryWithBackoff', () => {
  const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 500 };

  it('doubles the delay up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelayMs(policy, attempt))).toEqual([100, 200, 400, 500, 500]);
  });

  it('retries transient failures on the schedule and returns the success', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await retryWithBackoff<string>(async () => (++calls < 4 ? fail('DOWNLOAD_NETWORK', 'flaky') : ok('done')), {
      policy,
      isTransient: (error) => error.code === 'DOWNLOAD_NETWORK',
      sleep: async (ms) => void waits.push(ms),
    });
    expect(result).toEqual({ ok: true, value: 'done' });
    expect(waits).toEqual([100, 200, 400]);
  });

  it('does not retry a permanent failure', async () => {
    let calls = 0;
    const result: Result<string> = await retryWithBackoff<string>(async () => (calls++, fail('NOT_MEDIA', 'broken')), {
      policy,
      isTransient: (error) => error.code === 'DOWNLOAD_NETWORK',
      sleep: async () => undefined,
    });
    expect(result.ok).toBe(false);
    expect(calls).toBe(1);
  });

  it('gives up after the last attempt', async () => {
    let calls = 0;
    const result = await retryWithBackoff<string>(async () => (calls++, fail('DOWNLOAD_NETWORK', 'down')), {
      policy,
      isTransient: () => true,
      sleep: async () => undefined,
    });
    expect(result.ok).toBe(false);
    expect(calls).toBe(5);
  });
});
