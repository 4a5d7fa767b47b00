import { readFile } from 'node:fs/promises';
import { InferenceSession } from 'onnxruntime-node';
import { fail, ok, type Result } from '../../src-shared/result';
import { loadWithFallback, planExecution, type ExecutionPreference, type ExecutionReport } from '../asr/execution-provider';

export type DiarizationModelErrorCode = 'DIARIZATION_MODEL_NOT_FOUND' | 'DIARIZATION_MODEL_INVALID';

export interface DiarizationModelOptions {
  modelPath: string;
  /** Default 'auto': the platform's GPU provider when present, CPU otherwise or when it fails to load. */
  execution?: ExecutionPreference;
  /** Intra-op threads; default: onnxruntime's choice. */
  threads?: number;
}

/** What a model file must expose to be the model we expect. */
export interface ModelInterface {
  /** Names the error message uses, e.g. "a pyannote segmentation-3.0 model". */
  description: string;
  inputs: readonly string[];
  outputs: readonly string[];
  /** Further checks on the loaded session (e.g. tensor shapes): a reason when it does not fit, else null. */
  check?: (session: InferenceSession) => string | null;
}

/**
 * One onnxruntime session behind the diarization adapters: runs are tracked so that `dispose` waits for those in
 * flight before releasing the native session, and use after dispose throws instead of touching freed memory.
 */
export class GuardedSession {
  private session: InferenceSession | null;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    session: InferenceSession,
    private readonly label: string,
  ) {
    this.session = session;
  }

  /** The live session, for metadata; throws after dispose. */
  current(): InferenceSession {
    if (this.session === null) throw new Error(`${this.label} used after dispose()`);
    return this.session;
  }

  async run(feeds: InferenceSession.FeedsType): Promise<InferenceSession.ReturnType> {
    const run = this.current().run(feeds);
    this.inFlight.add(run);
    try {
      return await run;
    } finally {
      this.inFlight.delete(run);
    }
  }

  async dispose(): Promise<void> {
    const session = this.session;
    this.session = null;
    if (session === null) return;
    await Promise.allSettled([...this.inFlight]);
    await session.release();
  }
}

function isMissingFile(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/**
 * Reads `modelPath` through fs (so it also works from inside an Electron asar), creates the session on the
 * planned devices (GPU first when wanted, CPU last) and checks it has the expected interface.
 */
export async function loadDiarizationSession(
  options: DiarizationModelOptions,
  expected: ModelInterface,
  label: string,
): Promise<Result<{ session: GuardedSession; execution: ExecutionReport }, DiarizationModelErrorCode>> {
  const { modelPath } = options;
  let bytes: Uint8Array;
  try {
    bytes = await readFile(modelPath);
  } catch (error) {
    return isMissingFile(error)
      ? fail('DIARIZATION_MODEL_NOT_FOUND', `${expected.description} was not found at ${modelPath}`, modelPath)
      : fail('DIARIZATION_MODEL_INVALID', `cannot read ${modelPath}: ${firstLine(error)}`, modelPath);
  }
  let loaded: { value: InferenceSession; report: ExecutionReport };
  try {
    loaded = await loadWithFallback(planExecution(options.execution ?? 'auto'), (device) =>
      InferenceSession.create(bytes, {
        executionProviders: [device],
        ...(options.threads === undefined ? {} : { intraOpNumThreads: options.threads }),
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
      }),
    );
  } catch (error) {
    return fail('DIARIZATION_MODEL_INVALID', `${modelPath} is not a loadable ONNX model: ${firstLine(error)}`, modelPath);
  }
  const session = loaded.value;
  const missingInputs = expected.inputs.filter((name) => !session.inputNames.includes(name));
  const missingOutputs = expected.outputs.filter((name) => !session.outputNames.includes(name));
  const mismatch =
    missingInputs.length > 0 || missingOutputs.length > 0
      ? `it has inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}], ` +
        `expected [${expected.inputs.join(', ')}] and [${expected.outputs.join(', ')}]`
      : (expected.check?.(session) ?? null);
  if (mismatch !== null) {
    await session.release();
    return fail('DIARIZATION_MODEL_INVALID', `${modelPath} is not ${expected.description}: ${mismatch}`, modelPath);
  }
  return ok({ session: new GuardedSession(session, label), execution: loaded.report });
}

/** The declared size of `axis` of a model input or output, or null when it is symbolic or unknown. */
export function declaredDimension(metadata: readonly InferenceSession.ValueMetadata[], name: string, axis: number): number | null {
  const value = metadata.find((entry) => entry.name === name);
  if (value === undefined || !value.isTensor) return null;
  const size = value.shape[axis];
  return typeof size === 'number' ? size : null;
}
