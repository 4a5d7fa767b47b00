import { describe, expect, it } from 'vitest';
import { SampleWindow } from '../../src-main/pipeline/sample-window';

describe('SampleWindow', () => {
  it('keeps absolute positions while dropping from the front', () => {
    const window = new SampleWindow(4);
    window.append(Float32Array.from([0, 1, 2, 3]));
    window.append(Float32Array.from([4, 5, 6]));
    expect([window.startSample, window.endSample]).toEqual([0, 7]);
    window.dropBefore(3);
    expect(window.startSample).toBe(3);
    expect(Array.from(window.slice(3, 6))).toEqual([3, 4, 5]);
    expect(Array.from(window.slice(0, 100))).toEqual([3, 4, 5, 6]);
  });

  it('stays within its capacity over an endless stream when the consumer keeps dropping', () => {
    const window = new SampleWindow(32_000);
    const chunk = new Float32Array(16_000);
    for (let second = 0; second < 10_000; second += 1) {
      window.append(chunk);
      window.dropBefore(window.endSample - 16_000);
    }
    expect(window.endSample).toBe(10_000 * 16_000);
    expect(window.endSample - window.startSample).toBe(16_000);
  });
});
