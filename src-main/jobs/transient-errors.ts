/**
 * Which failures are worth another attempt. Transient: the worker died, the network dropped, the database
 * was busy. Everything else is permanent: a missing, empty or broken file stays broken however often we try.
 */
import type { CodedError } from '../../src-shared/result';

const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'ENGINE_PROCESS_DIED',
  'JOB_LEASE_LOST',
  'JOB_CRASHED',
  // The downloader's network faults (a short body is a cut connection, not a bad file).
  'DOWNLOAD_NETWORK',
  'DOWNLOAD_HTTP_TRANSIENT',
  'DOWNLOAD_SIZE_MISMATCH',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);

/** Store failures carry SQLite's code in the message (see reasonOf); only lock contention passes with time. */
const STORE_FAILURE_CODES: ReadonlySet<string> = new Set(['JOB_STORE_FAILED', 'LIBRARY_WRITE_FAILED', 'LIBRARY_READ_FAILED']);
const LOCK_CONTENTION = /\bSQLITE_(BUSY|LOCKED)/;

export function isTransientJobError(error: CodedError): boolean {
  // A model download wraps the downloader's codes: MODEL_DOWNLOAD_NETWORK is DOWNLOAD_NETWORK.
  const code = error.code.startsWith('MODEL_DOWNLOAD_') ? error.code.slice('MODEL_'.length) : error.code;
  if (TRANSIENT_CODES.has(code)) return true;
  return STORE_FAILURE_CODES.has(code) && LOCK_CONTENTION.test(error.message);
}
