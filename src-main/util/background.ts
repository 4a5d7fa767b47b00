/**
 * Work that runs on while the caller goes on (a child's exit being watched, a device released after a
 * fault). Such a promise is written not to reject; if one does, that is a defect, reported here instead
 * of becoming an unhandled rejection (which would end the process, and a recording with it).
 */
export function inBackground(work: Promise<unknown>, onError: (error: unknown) => void = reportDefect): void {
  work.catch(onError);
}

function reportDefect(error: unknown): void {
  try {
    process.stderr.write(`error BACKGROUND_TASK_FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  } catch {
    // Nowhere left to report it.
  }
}
