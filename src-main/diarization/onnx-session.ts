import { readFile } from 'node:fs/promises';
import { InferenceSession } from 'onnxruntime-node';
import { errorMessage } from '../../src-shared/errors';
import { fail, ok, type Result } from '../../src-shared/result';
import { loadWithFallback, planExecution, type ExecutionPreference, type ExecutionReport } from '../onnx/execution-provider';
import { SLEEPING_THREAD_POOL } from '../onnx/thread-pool';

export type DiarizationModelErrorCode = 'DIARIZATION_MODEL_NOT_FOUND' | 'DIARIZATION_MODEL_INVALID';

export interface DiarizationModelOptions {
  modelPath: string;
  /** Default 'auto': the platform's GPU provider when present, CPU otherwise or when it fails to load. */
  execution?: ExecutionPreference;
  /** Intra-op threads; default: onnxruntime's choice. */
  threads?: number;
}

/** The one input and one output the adapters use, by the names this model file gives them. */
export interface ModelIo {
  input: string;
  output: string;
}

/**
 * What a model file must expose to be the model we expect: the usual tensor names, or (exports differ in
 * naming) exactly one input and one output under other names.
 */
export interface ModelInterface {
  /** Names the error message uses, e.g. "a pyannote segmentation-3.0 model". */
  description: string;
  input: string;
  output: string;
  /** Further checks on the loaded session (e.g. tensor shapes): a reason when it does not fit, else null. */
  check?: (session: InferenceSession, io: ModelIo) => string | null;
}

function resolveIo(session: InferenceSession, expected: ModelInterface): ModelIo | null {
  const input = session.inputNames.includes(expected.input)
    ? expected.input
    : session.inputNames.length === 1
      ? session.inputNames[0]
      : undefined;
  const output = session.outputNames.includes(expected.output)
    ? expected.output
    : session.outputNames.length === 1
      ? session.outputNames[0]
      : undefined;
  return input !== undefined && output !== undefined ? { input, output } : null;
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
    readonly io: ModelIo,
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
  return errorMessage(error).split('\n')[0] ?? '';
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
        extra: SLEEPING_THREAD_POOL,
      }),
    );
  } catch (error) {
    return fail('DIARIZATION_MODEL_INVALID', `${modelPath} is not a loadable ONNX model: ${firstLine(error)}`, modelPath);
  }
  const session = loaded.value;
  const io = resolveIo(session, expected);
  const mismatch =
    io === null
      ? `it has inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}], ` +
        `expected ${expected.input} and ${expected.output} (or one input and one output)`
      : (expected.check?.(session, io) ?? null);
  if (io === null || mismatch !== null) {
    await session.release();
    return fail('DIARIZATION_MODEL_INVALID', `${modelPath} is not ${expected.description}: ${mismatch}`, modelPath);
  }
  return ok({ session: new GuardedSession(session, io, label), execution: loaded.report });
}

/** The declared size of `axis` of a model input or output, or null when it is symbolic or unknown. */
export function declaredDimension(metadata: readonly InferenceSession.ValueMetadata[], name: string, axis: number): number | null {
  const value = metadata.find((entry) => entry.name === name);
  if (value === undefined || !value.isTensor) return null;
  const size = value.shape[axis];
  return typeof size === 'number' ? size : null;
}

/** How many axes a model input or output declares, or null when the model does not say. */
export function declaredRank(metadata: readonly InferenceSession.ValueMetadata[], name: string): number | null {
  const value = metadata.find((entry) => entry.name === name);
  return value !== undefined && value.isTensor ? value.shape.length : null;
}

/** A reason when a declared rank differs from the wanted one (undeclared ranks pass: the first run will tell). */
export function rankProblem(session: InferenceSession, io: ModelIo, inputRank: number, outputRank: number): string | null {
  const input = declaredRank(session.inputMetadata, io.input);
  if (input !== null && input !== inputRank) return `${io.input} has ${input} axes, expected ${inputRank}`;
  const output = declaredRank(session.outputMetadata, io.output);
  if (output !== null && output !== outputRank) return `${io.output} has ${output} axes, expected ${outputRank}`;
  return null;
}
