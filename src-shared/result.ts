/** Errors as values at every boundary: callers branch on `ok`, never catch. */
import type { CodedError, ErrorCode } from './errors';

// The error types live with the vocabulary; they are re-exported here, beside Result, for every caller.
export type { CodedError, ErrorCode } from './errors';

export type Result<T, Code extends ErrorCode = ErrorCode> = { ok: true; value: T } | { ok: false; error: CodedError<Code> };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail<Code extends ErrorCode>(code: Code, message: string, subject?: string): { ok: false; error: CodedError<Code> } {
  return { ok: false, error: subject === undefined ? { code, message } : { code, message, subject } };
}
