/** Wall time spent in each ORT session of a model, for benchmarks (encoder vs decoder). */
export interface SessionTimings {
  [sessionName: string]: { totalMs: number; runs: number };
}
