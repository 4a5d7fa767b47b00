/**
 * Radix-2 FFT of real input. A real signal of length n is packed into a complex signal of length n/2
 * (even samples real, odd samples imaginary), transformed, then split back into the n/2 + 1 bins.
 */
export class RealFft {
  readonly size: number;
  private readonly half: number;
  private readonly bitReversed: Uint32Array;
  /** Twiddles for the half-size complex FFT: cos/sin of 2πk/half, k < half/2. */
  private readonly cosHalf: Float64Array;
  private readonly sinHalf: Float64Array;
  /** Twiddles for the split step: cos/sin of 2πk/size, k ≤ half. */
  private readonly cosFull: Float64Array;
  private readonly sinFull: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 4 || (size & (size - 1)) !== 0) {
      throw new RangeError(`FFT size must be a power of two ≥ 4, got ${size}`);
    }
    this.size = size;
    this.half = size / 2;
    const half = this.half;
    const bits = Math.log2(half);
    this.bitReversed = new Uint32Array(half);
    for (let i = 0; i < half; i += 1) {
      let reversed = 0;
      for (let bit = 0; bit < bits; bit += 1) reversed |= ((i >> bit) & 1) << (bits - 1 - bit);
      this.bitReversed[i] = reversed;
    }
    this.cosHalf = new Float64Array(half / 2);
    this.sinHalf = new Float64Array(half / 2);
    for (let k = 0; k < half / 2; k += 1) {
      this.cosHalf[k] = Math.cos((2 * Math.PI * k) / half);
      this.sinHalf[k] = Math.sin((2 * Math.PI * k) / half);
    }
    this.cosFull = new Float64Array(half + 1);
    this.sinFull = new Float64Array(half + 1);
    for (let k = 0; k <= half; k += 1) {
      this.cosFull[k] = Math.cos((2 * Math.PI * k) / size);
      this.sinFull[k] = Math.sin((2 * Math.PI * k) / size);
    }
    this.re = new Float64Array(half);
    this.im = new Float64Array(half);
  }

  /** Writes |X[k]|² for k = 0 … size/2 into `power` (length ≥ size/2 + 1). `input` holds `size` samples. */
  powerSpectrum(input: ArrayLike<number>, power: Float64Array | Float32Array): void {
    const { half, re, im } = this;
    for (let i = 0; i < half; i += 1) {
      const j = this.bitReversed[i]!;
      re[j] = input[2 * i]!;
      im[j] = input[2 * i + 1]!;
    }
    this.transformInPlace();
    power[0] = (re[0]! + im[0]!) ** 2;
    power[half] = (re[0]! - im[0]!) ** 2;
    for (let k = 1; k < half; k += 1) {
      const a = re[k]!;
      const b = im[k]!;
      const c = re[half - k]!;
      const d = im[half - k]!;
      const evenRe = (a + c) / 2;
      const evenIm = (b - d) / 2;
      const oddRe = (b + d) / 2;
      const oddIm = (c - a) / 2;
      const cos = this.cosFull[k]!;
      const sin = this.sinFull[k]!;
      const xRe = evenRe + cos * oddRe + sin * oddIm;
      const xIm = evenIm + cos * oddIm - sin * oddRe;
      power[k] = xRe * xRe + xIm * xIm;
    }
  }

  /** Iterative decimation-in-time butterflies over bit-reversed `re`/`im`. */
  private transformInPlace(): void {
    const { half, re, im } = this;
    for (let span = 1; span < half; span *= 2) {
      const stride = half / (2 * span);
      for (let start = 0; start < half; start += 2 * span) {
        for (let k = 0; k < span; k += 1) {
          const cos = this.cosHalf[k * stride]!;
          const sin = this.sinHalf[k * stride]!;
          const top = start + k;
          const bottom = top + span;
          const bRe = re[bottom]! * cos + im[bottom]! * sin;
          const bIm = im[bottom]! * cos - re[bottom]! * sin;
          re[bottom] = re[top]! - bRe;
          im[bottom] = im[top]! - bIm;
          re[top] = re[top]! + bRe;
          im[top] = im[top]! + bIm;
        }
      }
    }
  }
}
