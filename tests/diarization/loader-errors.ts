import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import type { Result } from '../../src-shared/result';

/**
 * What every diarization model loader must say about bad input: a missing file is
 * DIARIZATION_MODEL_NOT_FOUND; another ONNX model and a file that is not ONNX are DIARIZATION_MODEL_INVALID;
 * each error names the file.
 */
export async function expectLoaderErrors(
  load: (modelPath: string) => Promise<Result<unknown>>,
  scratch: string,
  otherModel: string,
): Promise<void> {
  const missing = path.join(scratch, 'nope.onnx');
  const notFound = await load(missing);
  expect(notFound).toMatchObject({ ok: false, error: { code: 'DIARIZATION_MODEL_NOT_FOUND', subject: missing } });

  const garbage = path.join(scratch, 'garbage.onnx');
  await writeFile(garbage, 'not a model');
  for (const modelPath of [otherModel, garbage]) {
    const loaded = await load(modelPath);
    expect(loaded).toMatchObject({ ok: false, error: { code: 'DIARIZATION_MODEL_INVALID', subject: modelPath } });
    if (!loaded.ok) expect(loaded.error.message).toContain(modelPath);
  }
}
