/**
 * Where an onnxruntime session runs: the execution-provider choice (GPU first when wanted and present, CPU
 * always last) shared by every ONNX model the engine opens (Whisper's sessions, the diarization models).
 * The Silero VAD stays on one CPU thread by design (a tiny model called every 32 ms), so it opens its session
 * without a plan.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { errorMessage } from '../../src-shared/errors';

export type ExecutionPreference = 'auto' | 'cpu' | 'gpu';
export type ExecutionDevice = 'cpu' | 'cuda' | 'dml' | 'coreml';

export interface ExecutionPlan {
  requested: ExecutionPreference;
  /** Devices to try in order; the last is always 'cpu'. */
  attempts: ExecutionDevice[];
  /** Why no GPU device is tried, when none is. */
  skippedGpuReason: string | null;
}

export interface ExecutionReport {
  requested: ExecutionPreference;
  active: ExecutionDevice;
  fallbackReason: string | null;
}

export interface HostFacts {
  platform: NodeJS.Platform;
  arch: string;
  cudaProviderInstalled: boolean;
}

/** The CUDA EP ships separately from onnxruntime-node's CPU tarball (`ONNXRUNTIME_NODE_INSTALL=cuda12`). */
export function isCudaProviderInstalled(): boolean {
  try {
    const require = createRequire(import.meta.url);
    const packageRoot = dirname(require.resolve('onnxruntime-node/package.json'));
    return existsSync(join(packageRoot, 'bin', 'napi-v6', 'linux', 'x64', 'libonnxruntime_providers_cuda.so'));
  } catch {
    return false;
  }
}

export function currentHostFacts(): HostFacts {
  return {
    platform: process.platform,
    arch: process.arch,
    cudaProviderInstalled: process.platform === 'linux' && isCudaProviderInstalled(),
  };
}

function gpuDeviceFor(host: HostFacts): { device: ExecutionDevice | null; reason: string | null } {
  if (host.platform === 'win32') return { device: 'dml', reason: null };
  if (host.platform === 'darwin') return { device: 'coreml', reason: null };
  if (host.platform === 'linux' && host.arch === 'x64') {
    return host.cudaProviderInstalled
      ? { device: 'cuda', reason: null }
      : { device: null, reason: 'CUDA execution provider is not installed (see README: GPU acceleration).' };
  }
  return { device: null, reason: `No GPU execution provider for ${host.platform}/${host.arch}.` };
}

/** Decides which devices to try, GPU first when wanted and present, CPU always last. */
export function planExecution(requested: ExecutionPreference, host: HostFacts = currentHostFacts()): ExecutionPlan {
  if (requested === 'cpu') return { requested, attempts: ['cpu'], skippedGpuReason: 'CPU was requested.' };
  const gpu = gpuDeviceFor(host);
  return gpu.device
    ? { requested, attempts: [gpu.device, 'cpu'], skippedGpuReason: null }
    : { requested, attempts: ['cpu'], skippedGpuReason: gpu.reason };
}

/**
 * Runs `load` on each planned device until one succeeds. The report says which device is active and,
 * when it is not the first choice, why.
 */
export async function loadWithFallback<T>(
  plan: ExecutionPlan,
  load: (device: ExecutionDevice) => Promise<T>,
): Promise<{ value: T; report: ExecutionReport }> {
  const failures: string[] = plan.skippedGpuReason && plan.requested !== 'cpu' ? [plan.skippedGpuReason] : [];
  let lastError: unknown = null;
  for (const device of plan.attempts) {
    try {
      const value = await load(device);
      const fallbackReason = failures.length > 0 ? failures.join(' ') : null;
      return { value, report: { requested: plan.requested, active: device, fallbackReason } };
    } catch (error) {
      lastError = error;
      failures.push(`${device} failed: ${errorMessage(error).split('\n')[0]}.`);
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
