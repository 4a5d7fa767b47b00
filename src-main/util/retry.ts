import type { CodedError, Result } from '../../src-shared/result';

export interface BackoffPolicy {
  /** Total attempts including the first one. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 8_000 };

/** Delay before attempt `attempt + 1` (attempt counts from 1): base · 2^(attempt−1), capped. */
export function backoffDelayMs(policy: BackoffPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

export interface RetryOptions {
  policy?: BackoffPolicy | undefined;
  isTransient: (error: CodedError) => boolean;
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  signal?: AbortSignal | undefined;
  onRetry?: (error: CodedError, attempt: number, delayMs: number) => void;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Retries only transient failures, with exponential backoff and a cap; permanent ones return at once. */
export async function retryWithBackoff<T>(attemptOnce: (attempt: number) => Promise<Result<T>>, options: RetryOptions): Promise<Result<T>> {
  const policy = options.policy ?? DEFAULT_BACKOFF;
  const wait = options.sleep ?? sleep;
  for (let attempt = 1; ; attempt += 1) {
    const result = await attemptOnce(attempt);
    if (result.ok || !options.isTransient(result.error) || attempt >= policy.maxAttempts) return result;
    if (options.signal?.aborted) return result;
    const delayMs = backoffDelayMs(policy, attempt);
    options.onRetry?.(result.error, attempt, delayMs);
    await wait(delayMs, options.signal);
  }
}
