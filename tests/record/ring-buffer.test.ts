import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../src-main/record/ring-buffer';

const ramp = (from: number, length: number): Float32Array => Float32Array.from({ length }, (_, index) => from + index);

describe('RingBuffer', () => {
  it('hands each reader every sample in order across wrap-arounds', () => {
    const ring = new RingBuffer(10);
    const reader = ring.reader();
    const seen: number[] = [];
    for (let block = 0; block < 20; block += 1) {
      ring.write(ramp(block * 7, 7));
      const read = reader.read();
      expect(read.skipped).toBe(0);
      expect(read.position).toBe(block * 7);
      seen.push(...read.samples);
    }
    expect(seen).toEqual(Array.from(ramp(0, 140)));
  });

  it('makes a slow reader skip ahead and report exactly how much it missed', () => {
    const ring = new RingBuffer(10);
    const fast = ring.reader();
    const slow = ring.reader();
    for (let block = 0; block < 5; block += 1) {
      ring.write(ramp(block * 4, 4));
      fast.read();
    }
    const read = slow.read();
    expect(read.skipped).toBe(10);
    expect(read.position).toBe(10);
    expect(Array.from(read.samples)).toEqual(Array.from(ramp(10, 10)));
  });

  it('limits a read to max samples and continues where it stopped', () => {
    const ring = new RingBuffer(16);
    const reader = ring.reader();
    ring.write(ramp(0, 12));
    expect(Array.from(reader.read(5).samples)).toEqual([0, 1, 2, 3, 4]);
    expect(reader.available).toBe(7);
    expect(reader.read().position).toBe(5);
  });

  it('keeps only the newest samples of a write larger than the ring', () => {
    const ring = new RingBuffer(4);
    const reader = ring.reader();
    ring.write(ramp(0, 10));
    const read = reader.read();
    expect(read.skipped).toBe(6);
    expect(Array.from(read.samples)).toEqual([6, 7, 8, 9]);
  });
});
