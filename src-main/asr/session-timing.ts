/** Time spent in each stage of a model (ORT sessions, JS stages around them), for benchmarks. */
export interface StageTiming {
  /** Wall milliseconds. */
  totalMs: number;
  /** The whole process's CPU milliseconds meanwhile (every thread: onnxruntime's pool included). */
  cpuMs: number;
  runs: number;
}

export interface SessionTimings {
  [sessionName: string]: StageTiming;
}

export const emptyTiming = (): StageTiming => ({ totalMs: 0, cpuMs: 0, runs: 0 });

/** Process CPU milliseconds so far (user + system, all threads). */
export function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}
