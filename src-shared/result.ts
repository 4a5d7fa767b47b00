/** Errors as values at every boundary: callers branch on `ok`, never catch. */
import type { ErrorCode } from './errors';

export type { ErrorCode } from './errors';

/** `Code` narrows the vocabulary for one module (ProbeErrorCode, …); it is always a part of ErrorCode. */
export interface CodedError<Code extends ErrorCode = ErrorCode> {
  code: Code;
  message: string;
  /** The input the error is about (a file path, a model id), when there is one. */
  subject?: string;
}

export type Result<T, Code extends ErrorCode = ErrorCode> =
  | { ok: true; value: T }
  | { ok: false; error: CodedError<Code> };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail<Code extends ErrorCode>(
  code: Code,
  message: string,
  subject?: string,
): { ok: false; error: CodedError<Code> } {
  return { ok: false, error: subject === undefined ? { code, message } : { code, message, subject } };
}
