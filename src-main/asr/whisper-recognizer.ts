import { env, InterruptableStoppingCriteria, pipeline, Tensor, type AutomaticSpeechRecognitionPipeline } from '@huggingface/transformers';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fail, ok, type Result } from '../../src-shared/result';
import type { ModelDtype } from '../models/catalog';
import { speedUpWhisperFeatures } from './fast-whisper-features';
import { loadWithFallback, planExecution, type ExecutionPreference, type ExecutionReport } from './execution-provider';
import { instrumentSessions, type SessionTimings } from './session-timing';
import type { AsrErrorCode, RecognizeOptions, RecognizedSegment, SpeechRecognizer, WindowTranscription } from './types';

export interface WhisperLoadOptions {
  modelId: string;
  /** A folder in transformers.js layout (config.json, tokenizer.json, onnx/…). */
  modelDir: string;
  dtype: ModelDtype;
  execution: ExecutionPreference;
}

interface WhisperGenerationConfig {
  lang_to_id?: Record<string, number>;
  decoder_start_token_id: number;
  is_multilingual?: boolean;
}

interface PipelineChunk {
  timestamp: [number, number | null];
  text: string;
}

interface PipelineOutput {
  text: string;
  chunks?: PipelineChunk[];
}

/** Transformers.js pipeline options not covered by its own typings for Whisper. */
type WhisperCallOptions = {
  return_timestamps: boolean;
  stopping_criteria?: InterruptableStoppingCriteria[];
  language?: string;
  task?: string;
};

function toSegments(output: PipelineOutput): RecognizedSegment[] {
  const chunks = output.chunks ?? [{ timestamp: [0, null] as [number, number | null], text: output.text }];
  return chunks
    .map((chunk) => ({ start: chunk.timestamp[0], end: chunk.timestamp[1], text: chunk.text.trim() }))
    .filter((segment) => segment.text.length > 0);
}

class WhisperRecognizer implements SpeechRecognizer {
  private disposed = false;
  private readonly sessionTimings: SessionTimings;

  constructor(
    readonly modelId: string,
    readonly execution: ExecutionReport,
    readonly multilingual: boolean,
    private readonly asr: AutomaticSpeechRecognitionPipeline,
    private readonly generation: WhisperGenerationConfig,
  ) {
    this.sessionTimings = instrumentSessions((asr.model as unknown as { sessions: Record<string, unknown> }).sessions);
  }

  timings(): SessionTimings {
    return structuredClone(this.sessionTimings);
  }

  async detectLanguage(audio: Float32Array): Promise<Result<{ language: string; probability: number }, AsrErrorCode>> {
    if (this.disposed) return fail('RECOGNIZER_DISPOSED', `${this.modelId} was disposed.`);
    if (!this.multilingual || !this.generation.lang_to_id) return ok({ language: 'en', probability: 1 });
    try {
      const features = (await this.asr.processor(audio)) as { input_features: Tensor };
      const decoderInputIds = new Tensor('int64', BigInt64Array.from([BigInt(this.generation.decoder_start_token_id)]), [1, 1]);
      const model = this.asr.model as unknown as (inputs: Record<string, Tensor>) => Promise<{ logits: Tensor }>;
      const { logits } = await model({ input_features: features.input_features, decoder_input_ids: decoderInputIds });
      const scores = logits.data as Float32Array;
      const entries = Object.entries(this.generation.lang_to_id);
      const max = Math.max(...entries.map(([, id]) => scores[id] ?? -Infinity));
      let total = 0;
      let best = { language: 'en', weight: -1 };
      for (const [token, id] of entries) {
        const weight = Math.exp((scores[id] ?? -Infinity) - max);
        total += weight;
        if (weight > best.weight) best = { language: token.slice(2, -2), weight };
      }
      return ok({ language: best.language, probability: best.weight / total });
    } catch (error) {
      return fail('ASR_FAILED', `Language detection failed: ${(error as Error).message}`);
    }
  }

  async transcribeWindow(audio: Float32Array, options: RecognizeOptions): Promise<Result<WindowTranscription, AsrErrorCode>> {
    if (this.disposed) return fail('RECOGNIZER_DISPOSED', `${this.modelId} was disposed.`);
    let language = options.language ?? 'en';
    if (this.multilingual && options.language === null) {
      const detected = await this.detectLanguage(audio);
      if (!detected.ok) return detected;
      language = detected.value.language;
    }
    if (!this.multilingual && language !== 'en') {
      return fail('LANGUAGE_UNSUPPORTED', `${this.modelId} is English-only; pick a multilingual model for "${language}".`);
    }
    const callOptions: WhisperCallOptions = this.multilingual
      ? { return_timestamps: true, language, task: options.task }
      : { return_timestamps: true };
    const { signal } = options;
    if (signal?.aborted) return fail('ASR_CANCELLED', 'The window was cancelled before it started.');
    const interrupt = signal ? new InterruptableStoppingCriteria() : null;
    const onAbort = (): void => interrupt?.interrupt();
    if (interrupt) {
      callOptions.stopping_criteria = [interrupt];
      signal?.addEventListener('abort', onAbort, { once: true });
    }
    try {
      const output = (await this.asr(audio, callOptions)) as PipelineOutput;
      if (signal?.aborted) return fail('ASR_CANCELLED', 'The window was cancelled while it was being decoded.');
      return ok({ language, segments: toSegments(output) });
    } catch (error) {
      return fail('ASR_FAILED', `Whisper failed on a window: ${(error as Error).message}`);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.asr.dispose();
  }
}

let loadChain: Promise<unknown> = Promise.resolve();

/**
 * Loads a Whisper model folder once. transformers.js resolves local models through one global
 * `env.localModelPath`, so loads are serialized while that global points at this model's parent.
 */
export async function loadWhisperRecognizer(options: WhisperLoadOptions): Promise<Result<SpeechRecognizer, AsrErrorCode>> {
  const run = loadChain.then(() => loadNow(options));
  loadChain = run.catch(() => undefined);
  return run;
}

async function loadNow(options: WhisperLoadOptions): Promise<Result<SpeechRecognizer, AsrErrorCode>> {
  try {
    const generation = JSON.parse(await readFile(join(options.modelDir, 'generation_config.json'), 'utf8')) as WhisperGenerationConfig;
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = `${dirname(options.modelDir)}/`;
    const { value, report } = await loadWithFallback(planExecution(options.execution), async (device) => {
      const loaded = await pipeline('automatic-speech-recognition', basename(options.modelDir), {
        device,
        dtype: options.dtype,
        local_files_only: true,
      });
      return loaded;
    });
    const multilingual = generation.is_multilingual ?? generation.lang_to_id !== undefined;
    speedUpWhisperFeatures((value.processor as unknown as { feature_extractor?: unknown }).feature_extractor);
    return ok(new WhisperRecognizer(options.modelId, report, multilingual, value, generation));
  } catch (error) {
    return fail('MODEL_LOAD_FAILED', `Could not load ${options.modelId} from ${options.modelDir}: ${(error as Error).message}`, options.modelDir);
  }
}
