/** Sends one file to the bridge (streamed by the browser, never read into the page) and gets its path on the engine's disk. */
import { errorMessage } from '../../../src-shared/errors';
import { BRIDGE_ROUTES, type BridgeUploadAnswer } from '../../../src-shared/bridge-protocol';
import { fail, ok, type Result } from '../../../src-shared/result';

export interface UploadOptions {
  /** '' in the page (same origin). */
  baseUrl: string;
  fetch: typeof fetch;
}

export async function uploadFile(file: File, options: UploadOptions): Promise<Result<string>> {
  let response: Response;
  try {
    response = await options.fetch(`${options.baseUrl}${BRIDGE_ROUTES.upload}?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      body: file,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/octet-stream' },
    });
  } catch (error) {
    return fail('UPLOAD_FAILED', `Could not send ${file.name}: ${errorMessage(error)}`, file.name);
  }
  const answer = (await response.json().catch(() => null)) as BridgeUploadAnswer | null;
  if (answer !== null && 'path' in answer && response.ok) return ok(answer.path);
  if (answer !== null && 'error' in answer) return { ok: false, error: { ...answer.error, subject: file.name } };
  return fail('UPLOAD_FAILED', `The bridge refused ${file.name} (HTTP ${response.status}).`, file.name);
}
