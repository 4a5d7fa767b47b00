/** Opening the Silero v5/v6 model: one ONNX session on one thread, checked for the inputs and outputs we feed. */
import { readFile } from 'node:fs/promises';
import { InferenceSession } from 'onnxruntime-node';
import { fail, ok, type Result } from '../../src-shared/result';
import { sileroSequenceModel } from './silero-sequence-graph';

const EXPECTED_INPUTS = ['input', 'state', 'sr'];
const EXPECTED_OUTPUTS = ['output', 'stateN'];

export interface SileroSession {
  session: InferenceSession;
  /** The graph takes a sequence of frames per call (`silero-sequence-graph.ts`), not one frame per stream. */
  sequence: boolean;
}

/**
 * The model at `modelPath`, as published (a batch of independent streams, one frame each per call) or, with
 * `asSequence`, rewritten to take a sequence of one stream's frames per call where its graph allows.
 */
export async function openSileroSession(
  modelPath: string,
  asSequence = false,
): Promise<Result<SileroSession, 'VAD_MODEL_NOT_FOUND' | 'VAD_MODEL_INVALID'>> {
  let bytes: Uint8Array;
  try {
    // Read through fs (not a path handed to ORT) so it also works from inside an Electron asar.
    bytes = await readFile(modelPath);
  } catch {
    return fail('VAD_MODEL_NOT_FOUND', `Silero VAD model not found at ${modelPath}`, modelPath);
  }
  let sequenceBytes: Uint8Array | null = null;
  try {
    sequenceBytes = asSequence ? sileroSequenceModel(bytes) : null;
  } catch {
    // Not an ONNX file: onnxruntime below says so with the path.
  }
  let session: InferenceSession;
  try {
    // The model is tiny: one thread avoids thread-pool overhead per call.
    session = await InferenceSession.create(sequenceBytes ?? bytes, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
    });
  } catch (error) {
    return fail('VAD_MODEL_INVALID', `cannot load ${modelPath}: ${String(error)}`, modelPath);
  }
  const inputs = sequenceBytes ? EXPECTED_INPUTS.filter((name) => name !== 'sr') : EXPECTED_INPUTS;
  if (!inputs.every((name) => session.inputNames.includes(name)) || !EXPECTED_OUTPUTS.every((name) => session.outputNames.includes(name))) {
    await session.release();
    return fail('VAD_MODEL_INVALID', `${modelPath} is not a Silero v5/v6 model (inputs: ${session.inputNames.join(', ')})`, modelPath);
  }
  return ok({ session, sequence: sequenceBytes !== null });
}
