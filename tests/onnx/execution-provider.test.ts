import { describe, expect, it } from 'vitest';
import { loadWithFallback, planExecution } from '../../src-main/onnx/execution-provider';

describe('execution provider selection', () => {
  it('plans the platform GPU first and CPU last', () => {
    expect(planExecution('auto', { platform: 'win32', arch: 'x64', cudaProviderInstalled: false }).attempts).toEqual(['dml', 'cpu']);
    expect(planExecution('auto', { platform: 'darwin', arch: 'arm64', cudaProviderInstalled: false }).attempts).toEqual(['coreml', 'cpu']);
    expect(planExecution('gpu', { platform: 'linux', arch: 'x64', cudaProviderInstalled: true }).attempts).toEqual(['cuda', 'cpu']);
    expect(planExecution('cpu', { platform: 'linux', arch: 'x64', cudaProviderInstalled: true }).attempts).toEqual(['cpu']);
  });

  it('reports why no GPU is used when the CUDA provider is absent', async () => {
    const plan = planExecution('auto', { platform: 'linux', arch: 'x64', cudaProviderInstalled: false });
    const { report } = await loadWithFallback(plan, async (device) => device);
    expect(report.active).toBe('cpu');
    expect(report.fallbackReason).toMatch(/CUDA execution provider is not installed/);
  });

  it('falls back to CPU when the GPU session fails to load, and says why', async () => {
    const plan = planExecution('auto', { platform: 'linux', arch: 'x64', cudaProviderInstalled: true });
    const { value, report } = await loadWithFallback(plan, async (device) => {
      if (device === 'cuda') throw new Error('libcudart.so.12: cannot open shared object file');
      return `session on ${device}`;
    });
    expect(value).toBe('session on cpu');
    expect(report).toEqual({
      requested: 'auto',
      active: 'cpu',
      fallbackReason: 'cuda failed: libcudart.so.12: cannot open shared object file.',
    });
  });

  it('detects this machine as CPU-only with the stock onnxruntime-node', () => {
    expect(planExecution('auto').attempts.at(-1)).toBe('cpu');
  });
});
