/** Opening the Silero v5/v6 model: one ONNX session on one thread, checked for the inputs and outputs we feed. */
import { readFile } from 'node:fs/promises';
import { InferenceSession } from 'onnxruntime-node';
import { fail, ok, type Result } from '../../src-shared/result';

const EXPECTED_INPUTS = ['input', 'state', 'sr'];
const EXPECTED_OUTPUTS = ['output', 'stateN'];

export async function openSileroSession(modelPath: string): Promise<Result<InferenceSession, 'VAD_MODEL_NOT_FOUND' | 'VAD_MODEL_INVALID'>> {
  let bytes: Uint8Array;
  try {
    // Read through fs (not a path handed to ORT) so it also works from inside an Electron asar.
    bytes = await readFile(modelPath);
  } catch {
    return fail('VAD_MODEL_NOT_FOUND', `Silero VAD model not found at ${modelPath}`, modelPath);
  }
  let session: InferenceSession;
  try {
    // The model is tiny: one thread avoids thread-pool overhead per call.
    session = await InferenceSession.create(bytes, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
    });
  } catch (error) {
    return fail('VAD_MODEL_INVALID', `cannot load ${modelPath}: ${String(error)}`, modelPath);
  }
  if (
    !EXPECTED_INPUTS.every((name) => session.inputNames.includes(name)) ||
    !EXPECTED_OUTPUTS.every((name) => session.outputNames.includes(name))
  ) {
    await session.release();
    return fail('VAD_MODEL_INVALID', `${modelPath} is not a Silero v5/v6 model (inputs: ${session.inputNames.join(', ')})`, modelPath);
  }
  return ok(session);
}
