import { describe, expect, it } from 'vitest';
import { ChunkAssembler } from '../../src-main/audio/chunk-assembler';

function bytesOf(values: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

describe('ChunkAssembler', () => {
  it('reassembles floats split across arbitrary byte boundaries', () => {
    const values = Array.from({ length: 23 }, (_, i) => i * 0.01 - 0.1);
    const bytes = bytesOf(values);
    const assembler = new ChunkAssembler(5);
    const out: number[] = [];
    // Odd-sized slices, so nearly every float straddles two pushes.
    for (let offset = 0; offset < bytes.length; offset += 7) {
      for (const chunk of assembler.push(bytes.subarray(offset, offset + 7))) {
        expect(chunk.length).toBe(5);
        out.push(...chunk);
      }
    }
    const last = assembler.flush();
    expect(last?.length).toBe(3);
    out.push(...(last ?? []));
    expect(out).toEqual(Array.from(Float32Array.from(values)));
  });

  it('emits several chunks from one large push and nothing on an empty flush', () => {
    const assembler = new ChunkAssembler(2);
    expect(assembler.push(bytesOf([1, 2, 3, 4])).map((chunk) => Array.from(chunk))).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(assembler.flush()).toBeNull();
  });

  it('hands out independent buffers', () => {
    const assembler = new ChunkAssembler(1);
    const [first] = assembler.push(bytesOf([1]));
    assembler.push(bytesOf([2]));
    expect(first?.[0]).toBe(1);
  });

  it('rejects a non-positive chunk size', () => {
    expect(() => new ChunkAssembler(0)).toThrow(RangeError);
  });
});
