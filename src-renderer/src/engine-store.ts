import { create } from 'zustand';
import type { EngineInfo, TranscribeProgress } from '../../src-shared/ipc-contract';
import type { CodedError } from '../../src-shared/result';
import type { Transcript } from '../../src-shared/transcript';

interface EngineState {
  info: EngineInfo | null;
  progress: TranscribeProgress | null;
  transcript: Transcript | null;
  error: CodedError | null;
  loadInfo(): Promise<void>;
  transcribe(path: string): Promise<void>;
  setProgress(progress: TranscribeProgress): void;
}

export const useEngineStore = create<EngineState>((set) => ({
  info: null,
  progress: null,
  transcript: null,
  error: null,
  async loadInfo() {
    const result = await window.verbatim.engineInfo();
    set(result.ok ? { info: result.value, error: null } : { error: result.error });
  },
  async transcribe(path) {
    set({ transcript: null, error: null, progress: null });
    const result = await window.verbatim.transcribeFile({ path });
    set(result.ok ? { transcript: result.value } : { error: result.error });
  },
  setProgress(progress) {
    set({ progress });
  },
}));
