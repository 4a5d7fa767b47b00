/** Every wire handler runs behind this guard: too many arguments are refused, and nothing thrown escapes. */
import { errorMessage } from '../../src-shared/errors';
import type { WireMethod, WireRequests } from '../../src-shared/ipc-contract';
import { checkArity } from '../../src-shared/ipc-validation';
import { fail, type Result } from '../../src-shared/result';

/** The same shape as `WireHandlers[M]`, spelled so that it stays generic in M. */
export type WireHandler<M extends WireMethod> = (...args: unknown[]) => Promise<Result<WireRequests[M]['result']>>;

export function guarded<M extends WireMethod>(
  method: M,
  maxArgs: number,
  run: (args: readonly unknown[]) => Promise<Result<WireRequests[M]['result']>> | Result<WireRequests[M]['result']>,
): WireHandler<M> {
  return async (...args: unknown[]) => {
    const arity = checkArity(method, args, maxArgs);
    if (!arity.ok) return arity;
    try {
      return await run(args);
    } catch (error) {
      // A handler that throws is a bug; the caller still gets an answer it can show.
      return fail('HANDLER_FAILED', `${method} failed unexpectedly: ${errorMessage(error)}`);
    }
  };
}
