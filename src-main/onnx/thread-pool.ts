/**
 * onnxruntime's intra-op threads spin between the operators of a run by default. Our models run as many short
 * operators (a decoder step is hundreds of small ones), so spinning burns CPU time that the other model, the
 * other thread of the pipeline or the user's meeting app needs: idle threads sleep instead. Measured on
 * whisper-base's decoder (beam 5, machine shared with another process): 31–39 CPU ms per step against 55–62 ms
 * spinning, and no slower in wall time (44–45 ms against 61–65 ms).
 */
export const SLEEPING_THREAD_POOL = { session: { intra_op: { allow_spinning: '0' } } } as const;
