/**
 * Which failures are worth another attempt. Transient: the worker died, the network dropped, the database
 * was busy. Everything else is permanent: a missing, empty or broken file stays broken however often we try.
 */
import type { CodedError, ErrorCode } from '../../src-shared/result';

const TRANSIENT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'ENGINE_PROCESS_DIED',
  'JOB_LEASE_LOST',
  'JOB_CRASHED',
  // The downloader's network faults (a short body is a cut connection, not a bad file).
  'DOWNLOAD_NETWORK',
  'DOWNLOAD_HTTP_TRANSIENT',
  'DOWNLOAD_SIZE_MISMATCH',
]);

/** Store failures carry SQLite's code in the message (see reasonOf); only lock contention passes with time. */
const STORE_FAILURE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['JOB_STORE_FAILED', 'LIBRARY_WRITE_FAILED', 'LIBRARY_READ_FAILED']);
const LOCK_CONTENTION = /\bSQLITE_(BUSY|LOCKED)/;

export function isTransientJobError(error: CodedError): boolean {
  if (TRANSIENT_CODES.has(error.code)) return true;
  return STORE_FAILURE_CODES.has(error.code) && LOCK_CONTENTION.test(error.message);
}
