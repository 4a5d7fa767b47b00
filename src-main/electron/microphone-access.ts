/**
 * macOS asks the user before an app may use the microphone, and refuses silently (recording silence)
 * when it was never asked. The question is put right before the first recording, when it makes sense
 * to the user, rather than at start-up.
 */
import type { WireHandlers } from '../../src-shared/ipc-contract';
import { fail } from '../../src-shared/result';

/** Resolves true when the microphone may be used (asking the user if the system has not yet). */
export type MicrophoneAccess = () => Promise<boolean>;

export function withMicrophoneAccess(handlers: WireHandlers, microphoneAccess: MicrophoneAccess): WireHandlers {
  return {
    ...handlers,
    startRecording: async (...args) => {
      if (!(await microphoneAccess())) {
        return fail(
          'MICROPHONE_ACCESS_DENIED',
          'Verbatim may not use the microphone. Allow it in System Settings › Privacy & Security › Microphone.',
        );
      }
      return handlers.startRecording(...args);
    },
  };
}
