/** Errors as values at every boundary: callers branch on `ok`, never catch. */
export interface CodedError<Code extends string = string> {
  code: Code;
  message: string;
  /** The input the error is about (a file path, a model id), when there is one. */
  subject?: string;
}

export type Result<T, Code extends string = string> =
  | { ok: true; value: T }
  | { ok: false; error: CodedError<Code> };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail<Code extends string>(
  code: Code,
  message: string,
  subject?: string,
): { ok: false; error: CodedError<Code> } {
  return { ok: false, error: subject === undefined ? { code, message } : { code, message, subject } };
}
