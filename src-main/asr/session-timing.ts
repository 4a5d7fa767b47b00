/** Wall time spent in each ORT session of a model, for benchmarks (encoder vs decoder). */
export interface SessionTimings {
  [sessionName: string]: { totalMs: number; runs: number };
}

interface TimedSession {
  run: (...args: unknown[]) => Promise<unknown>;
}

/** Wraps each session's `run` so its wall time is added up; the wrapper costs one clock read per call. */
export function instrumentSessions(sessions: Record<string, unknown>): SessionTimings {
  const timings: SessionTimings = {};
  for (const [name, value] of Object.entries(sessions)) {
    const session = value as TimedSession;
    if (typeof session.run !== 'function') continue;
    const original = session.run.bind(session);
    const entry = { totalMs: 0, runs: 0 };
    timings[name] = entry;
    session.run = async (...args: unknown[]) => {
      const started = performance.now();
      try {
        return await original(...args);
      } finally {
        entry.totalMs += performance.now() - started;
        entry.runs += 1;
      }
    };
  }
  return timings;
}
