/**
 * Normalised cross-correlation of a reference against a longer capture: for every lag k,
 * Σ ref[i]·cap[i+k] / (‖ref‖ · ‖cap[k, k+N)‖). 1.0 = the capture holds an exact (scaled) copy at lag k.
 * Computed with an FFT so seconds of 16 kHz audio take milliseconds.
 */
export function normalizedCrossCorrelation(reference: Float32Array, capture: Float32Array): { peak: number; lag: number } {
  const n = reference.length;
  if (capture.length < n) return { peak: 0, lag: 0 };
  let size = 1;
  while (size < capture.length + n) size *= 2;
  const aRe = new Float64Array(size);
  const aIm = new Float64Array(size);
  const bRe = new Float64Array(size);
  const bIm = new Float64Array(size);
  for (let i = 0; i < capture.length; i++) aRe[i] = capture[i]!;
  for (let i = 0; i < n; i++) bRe[i] = reference[i]!;
  fft(aRe, aIm, false);
  fft(bRe, bIm, false);
  // capture ⋆ reference = IFFT(A · conj(B))
  for (let i = 0; i < size; i++) {
    const re = aRe[i]! * bRe[i]! + aIm[i]! * bIm[i]!;
    const im = aIm[i]! * bRe[i]! - aRe[i]! * bIm[i]!;
    aRe[i] = re;
    aIm[i] = im;
  }
  fft(aRe, aIm, true);
  let refEnergy = 0;
  for (let i = 0; i < n; i++) refEnergy += reference[i]! ** 2;
  const prefix = new Float64Array(capture.length + 1);
  for (let i = 0; i < capture.length; i++) prefix[i + 1] = prefix[i]! + capture[i]! ** 2;
  let peak = -Infinity;
  let lag = 0;
  for (let k = 0; k + n <= capture.length; k++) {
    const windowEnergy = prefix[k + n]! - prefix[k]!;
    if (windowEnergy <= 1e-12) continue;
    const value = aRe[k]! / size / Math.sqrt(refEnergy * windowEnergy);
    if (value > peak) {
      peak = value;
      lag = k;
    }
  }
  return { peak: peak === -Infinity ? 0 : peak, lag };
}

/** In-place iterative radix-2 FFT (length a power of two); `inverse` leaves the 1/N to the caller. */
function fft(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len *= 2) {
    const angle = ((inverse ? 2 : -2) * Math.PI) / len;
    const wRe = Math.cos(angle);
    const wIm = Math.sin(angle);
    for (let start = 0; start < n; start += len) {
      let curRe = 1;
      let curIm = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = start + k;
        const b = a + len / 2;
        const tRe = re[b]! * curRe - im[b]! * curIm;
        const tIm = re[b]! * curIm + im[b]! * curRe;
        re[b] = re[a]! - tRe;
        im[b] = im[a]! - tIm;
        re[a] = re[a]! + tRe;
        im[a] = im[a]! + tIm;
        const nextRe = curRe * wRe - curIm * wIm;
        curIm = curRe * wIm + curIm * wRe;
        curRe = nextRe;
      }
    }
  }
}
