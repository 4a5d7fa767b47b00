import type { VerbatimApi } from '../../src-shared/ipc-contract';

declare global {
  interface Window {
    verbatim: VerbatimApi;
  }
}
