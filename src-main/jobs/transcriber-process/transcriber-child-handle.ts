/**
 * Starting the transcriber child (app/transcriber-child.ts, or its bundled entry) with its options; talking to
 * it goes through the generic EngineChildHandle.
 */
import { ok, type Result } from '../../../src-shared/result';
import { EngineChildHandle } from '../../util/engine-child/engine-child-handle';
import { engineChildTarget, forkLauncher, type EngineChildLauncher } from '../../util/engine-child/engine-child-process';
import {
  encodeChildOptions,
  isFromTranscriberChild,
  type FromTranscriberChild,
  type ToTranscriberChild,
  type TranscriberChildOptions,
} from './protocol';

export type TranscriberChildHandle = EngineChildHandle<FromTranscriberChild, ToTranscriberChild>;

export function spawnTranscriberChild(
  options: TranscriberChildOptions,
  launcher: EngineChildLauncher = forkLauncher,
): Result<TranscriberChildHandle> {
  const target = engineChildTarget('transcriber-child');
  if (!target.ok) return target;
  const launched = launcher({ modulePath: target.value.modulePath, args: [...target.value.args, encodeChildOptions(options)] });
  return launched.ok ? ok(new EngineChildHandle(launched.value, isFromTranscriberChild)) : launched;
}
