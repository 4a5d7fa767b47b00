import { InferenceSession, Tensor } from 'onnxruntime-node';
import { loadWithFallback, planExecution, type ExecutionPreference, type ExecutionReport } from '../../onnx/execution-provider';
import { hasExactInt8DotProduct } from '../../onnx/cpu-features';
import { SLEEPING_THREAD_POOL } from '../../onnx/thread-pool';
import { emptyTiming, processCpuMs, type SessionTimings, type StageTiming } from '../session-timing';
import type { WhisperArchitecture } from './model-files';
import { LOGIT_ROWS_INPUT } from './decoder-graph/logit-rows';
import { ENCODER_STATES_INPUT } from './decoder-graph/promoted-branch';
import { readRewrittenDecoder } from './decoder-graph/read-decoder';
import { sharedPromptInput } from './decoder-graph/shared-prompt';
import { readFullContextEncoder, readShorterContextEncoder } from './encoder-graph/read-encoder';

/**
 * The self-attention cache of a batch of decoder rows: per layer a key and a value tensor
 * [batch, heads, length, headDim], as the merged decoder returns them.
 */
export interface SelfAttentionCache {
  batch: number;
  /** Tokens each row holds after the shared prompt (all of them when there is none). */
  length: number;
  /** 2 × layers arrays: layer 0 key, layer 0 value, layer 1 key, … */
  tensors: Float32Array[];
  /** The prompt's keys and values, held once for every row (null when the decoder cannot share them). */
  shared: SharedPrompt | null;
}

/** A prompt's self-attention [1, heads, length, headDim] per layer, read by every row of a batch. */
export interface SharedPrompt {
  length: number;
  tensors: Float32Array[];
}

/**
 * The cross-attention keys and values of one window's encoder output, computed once per window and shared by
 * every decoder row (batch 1: the rows' queries are stacked against it, or onnxruntime's MatMul broadcasts it
 * over the rows when the decoder was not rewritten).
 */
export interface CrossAttentionCache {
  /** Per layer the keys and the values: [1, heads, frames, headDim], the keys [1, heads, headDim, frames] where the decoder takes them transposed. */
  tensors: Tensor[];
  /** Encoder frames the window's keys and values cover. */
  frames: number;
  /** Logits of the decoder's first step from a lone <|startoftranscript|> (language detection). */
  startLogits: Float32Array;
}

export interface DecoderPass {
  /** [batch, rows, vocab]: the rows asked for (every new token by default) */
  logits: Float32Array;
  cache: SelfAttentionCache;
}

export interface SessionOptions {
  execution: ExecutionPreference;
  /** Intra-op threads; default: onnxruntime's choice (the physical cores). */
  threads?: number | undefined;
  /** Intra-op threads of the decoder, which runs once per token; default `threads`. */
  decoderThreads?: number | undefined;
  /** Store 8-bit weights signed (`signInt8Weights`); default: where the CPU multiplies u8·s8 exactly (VNNI). */
  signWeights?: boolean | undefined;
}

const KV_KINDS = ['key', 'value'] as const;

async function createSession(
  path: string | Uint8Array,
  device: string,
  threads: number | undefined,
  arena: boolean,
): Promise<InferenceSession> {
  // From a path onnxruntime reads the file itself; a rewritten model's bytes are dropped once it is loaded.
  const options: InferenceSession.SessionOptions = {
    executionProviders: [device],
    graphOptimizationLevel: 'all',
    interOpNumThreads: 1,
    ...(threads === undefined ? {} : { intraOpNumThreads: threads }),
    // Measured on whisper-base, beam 5, two windows: arena off for the encoder (its ≈ 70 MB attention scores would
    // stay reserved between windows) and on for the decoder (its many small per-step buffers fragment the heap
    // without it) peaks at 613 MB; both on 783 MB, both off 1726 MB. Shapes change every step: no memory pattern.
    enableCpuMemArena: arena,
    enableMemPattern: false,
    logSeverityLevel: 3,
    extra: SLEEPING_THREAD_POOL,
  };
  return typeof path === 'string' ? InferenceSession.create(path, options) : InferenceSession.create(path, options);
}

/**
 * Whisper's encoder and merged decoder (optimum layout: `use_cache_branch` picks the branch that reads cached
 * cross-attention) on onnxruntime-node, with the timing of every run added up for benchmarks.
 */
export class WhisperSessions {
  private readonly layers: number;
  private readonly heads: number;
  private readonly headDim: number;
  private readonly vocab: number;
  private readonly selfNames: { past: string; present: string }[];
  private readonly crossNames: { past: string; present: string }[];
  private readonly timings: SessionTimings = { encoder: emptyTiming(), decoder: emptyTiming() };
  private scratch = new Float32Array(0);
  private released = false;
  private readonly sourcePositions: number;
  private readonly encoderShape: Pick<WhisperArchitecture, 'encoder_attention_heads' | 'max_source_positions'>;
  /** The encoder rewritten for shorter contexts, loaded on first use (null: its graph does not allow it). */
  private fittedEncoder: Promise<InferenceSession | null> | null = null;

  private constructor(
    private readonly encoder: InferenceSession,
    private readonly decoder: InferenceSession,
    /** The cross-attention projection split off the merged decoder, which is then its cached branch alone. */
    private readonly projector: InferenceSession | null,
    architecture: WhisperArchitecture,
    readonly execution: ExecutionReport,
    /** The decoder was rewritten to take one copy of the prompt's self-attention for all rows. */
    readonly sharesPrompt: boolean,
    /** The decoder was rewritten to compute logits only for the positions asked for. */
    private readonly selectsLogitRows: boolean,
    /** The projector hands over the cross-attention keys transposed, frames last. */
    private readonly transposesCrossKeys: boolean,
    private readonly encoderPath: string,
    private readonly threads: number | undefined,
    /** Whether 8-bit weights, where the files hold them, are stored signed (the CPU multiplies u8·s8 exactly). */
    readonly signsWeights: boolean,
  ) {
    this.layers = architecture.decoder_layers;
    this.heads = architecture.decoder_attention_heads;
    this.headDim = architecture.d_model / architecture.decoder_attention_heads;
    this.vocab = architecture.vocab_size;
    this.sourcePositions = architecture.max_source_positions;
    this.encoderShape = { encoder_attention_heads: architecture.encoder_attention_heads, max_source_positions: this.sourcePositions };
    this.selfNames = [];
    this.crossNames = [];
    for (let layer = 0; layer < this.layers; layer += 1) {
      for (const kind of KV_KINDS) {
        this.selfNames.push({ past: `past_key_values.${layer}.decoder.${kind}`, present: `present.${layer}.decoder.${kind}` });
        this.crossNames.push({ past: `past_key_values.${layer}.encoder.${kind}`, present: `present.${layer}.encoder.${kind}` });
      }
    }
  }

  static async load(
    encoderPath: string,
    decoderPath: string,
    architecture: WhisperArchitecture,
    options: SessionOptions,
  ): Promise<WhisperSessions> {
    const signWeights = options.signWeights ?? hasExactInt8DotProduct();
    const rewritten = await readRewrittenDecoder(decoderPath, architecture, signWeights);
    const rewrittenEncoder = await readFullContextEncoder(encoderPath, architecture, signWeights);
    const { value, report } = await loadWithFallback(planExecution(options.execution), async (device) => {
      const created: InferenceSession[] = [];
      const create = async (...args: Parameters<typeof createSession>): Promise<InferenceSession> => {
        const session = await createSession(...args);
        created.push(session);
        return session;
      };
      try {
        return {
          encoder: await create(rewrittenEncoder ?? encoderPath, device, options.threads, false),
          decoder: await create(rewritten?.bytes ?? decoderPath, device, options.decoderThreads ?? options.threads, true),
          // Once per window, on [frames, d_model] tensors: no arena to keep them reserved between windows.
          projector: rewritten?.projector ? await create(rewritten.projector, device, options.threads, false) : null,
        };
      } catch (error) {
        await Promise.all(created.map((session) => session.release()));
        throw error;
      }
    });
    return new WhisperSessions(
      value.encoder,
      value.decoder,
      value.projector,
      architecture,
      report,
      rewritten?.sharesPrompt ?? false,
      rewritten?.selectsLogitRows ?? false,
      rewritten?.transposesCrossKeys ?? false,
      encoderPath,
      options.threads,
      signWeights,
    );
  }

  get vocabSize(): number {
    return this.vocab;
  }

  timing(): SessionTimings {
    return structuredClone(this.timings);
  }

  /**
   * Whether the encoder can hear fewer than its full context of frames. The first call loads a second encoder
   * session, rewritten for it: at the full 3000 frames the rewritten graph takes 60–70 % longer (onnxruntime
   * plans it less well once the sequence length is free), so full windows keep the original one.
   */
  async acceptsShorterContext(): Promise<boolean> {
    return (await this.fittedEncoderSession()) !== null;
  }

  /** log-mel [mels, frames] → encoder output [1, frames / 2, d_model]; fewer frames than the full context need `acceptsShorterContext`. */
  async encode(features: Float32Array, mels: number, frames: number): Promise<Tensor> {
    const fitted = frames < 2 * this.sourcePositions ? await this.fittedEncoderSession() : null;
    const encoder = fitted ?? this.encoder;
    const out = await this.timed('encoder', () => encoder.run({ input_features: new Tensor('float32', features, [1, mels, frames]) }));
    return out.last_hidden_state as Tensor;
  }

  /** The decoder's first step from <|startoftranscript|> alone: projects and returns the cross-attention cache. */
  async crossAttention(encoderOutput: Tensor, sot: number): Promise<CrossAttentionCache> {
    if (this.projector) {
      const projector = this.projector;
      const projected = await this.timed('decoder', () => projector.run({ [ENCODER_STATES_INPUT]: encoderOutput }));
      const tensors = this.crossNames.map((name) => projected[name.present] as Tensor);
      const out = await this.timed('decoder', () => this.decoder.run(this.cachedFeeds([[sot]], tensors, null, [0]), ['logits']));
      return { tensors, frames: encoderOutput.dims[1] ?? 0, startLogits: (out.logits as Tensor).data as Float32Array };
    }
    const feeds: Record<string, Tensor> = {
      input_ids: this.ids([[sot]]),
      encoder_hidden_states: encoderOutput,
      use_cache_branch: new Tensor('bool', [false], [1]),
    };
    for (const name of [...this.selfNames, ...this.crossNames]) feeds[name.past] = this.empty(1);
    this.addSharedPrompt(feeds, null);
    if (this.selectsLogitRows) feeds[LOGIT_ROWS_INPUT] = new Tensor('int64', new BigInt64Array(1), [1]);
    const fetches = ['logits', ...this.crossNames.map((name) => name.present)];
    const out = await this.timed('decoder', () => this.decoder.run(feeds, fetches));
    return {
      tensors: this.crossNames.map((name) => out[name.present] as Tensor),
      frames: encoderOutput.dims[1] ?? 0,
      startLogits: (out.logits as Tensor).data as Float32Array,
    };
  }

  /**
   * The first step's logits (language detection) from frames [from, to) of a window's cross-attention cache alone.
   * Keys and values are projected frame by frame, so the slice is exactly what that stretch of the window's
   * encoding projects to; the stretch is still heard in the window's context, through the encoder's attention.
   */
  async startLogitsWithin(cross: CrossAttentionCache, sot: number, from: number, to: number): Promise<Float32Array> {
    const tensors = cross.tensors.map((tensor, index) =>
      this.transposesCrossKeys && this.crossNames[index]?.past.endsWith('.key')
        ? lastAxisFramesOf(tensor, from, to)
        : framesOf(tensor, from, to),
    );
    const out = await this.timed('decoder', () => this.decoder.run(this.cachedFeeds([[sot]], tensors, null, [0]), ['logits']));
    return (out.logits as Tensor).data as Float32Array;
  }

  /**
   * One decoder run with cached cross-attention: `tokens` holds the same number of new tokens for every row
   * (the whole prompt on the first run, one token afterwards), `cache` the rows' self-attention so far. A
   * first run of one row (the prompt) becomes the shared prompt of the rows decoded from it, where the decoder
   * can share one. `logitRows`: the token positions to return logits for (default: all).
   */
  async step(
    tokens: readonly (readonly number[])[],
    cross: CrossAttentionCache,
    cache: SelfAttentionCache | null,
    logitRows?: readonly number[],
  ): Promise<DecoderPass> {
    // The rewritten graph's causal mask does not cover the shared prompt: rows add one token at a time to it.
    if (cache?.shared && (tokens[0]?.length ?? 0) > 1) throw new Error('a shared prompt takes one new token per row');
    const out = await this.timed('decoder', () =>
      this.decoder.run(this.cachedFeeds(tokens, cross.tensors, cache, logitRows), [
        'logits',
        ...this.selfNames.map((name) => name.present),
      ]),
    );
    const first = out[this.selfNames[0]?.present ?? ''] as Tensor;
    const length = first.dims[2] ?? 0;
    const tensors = this.selfNames.map((name) => (out[name.present] as Tensor).data as Float32Array);
    const logits = this.rowsOf(out.logits as Tensor, logitRows);
    if (this.sharesPrompt && cache === null && tokens.length === 1) {
      return { logits, cache: { batch: 1, length: 0, tensors: tensors.map(() => new Float32Array(0)), shared: { length, tensors } } };
    }
    return { logits, cache: { batch: tokens.length, length, tensors, shared: cache?.shared ?? null } };
  }

  /**
   * A forced pass over a whole token sequence (batch 1, no cache) that returns the logits and the
   * cross-attention weights [heads, tokens, frames] of the given decoder layers (for word alignment).
   */
  async attend(
    tokens: readonly number[],
    cross: CrossAttentionCache,
    layers: readonly number[],
    logitRows?: readonly number[],
  ): Promise<{ logits: Float32Array; attention: Map<number, Float32Array>; frames: number }> {
    const names = layers.map((layer) => `cross_attentions.${layer}`);
    const out = await this.timed('decoder', () =>
      this.decoder.run(this.cachedFeeds([tokens], cross.tensors, null, logitRows), ['logits', ...names]),
    );
    const attention = new Map<number, Float32Array>();
    let frames = 0;
    layers.forEach((layer, index) => {
      const tensor = out[names[index] as string] as Tensor;
      frames = tensor.dims[3] ?? 0;
      attention.set(layer, tensor.data as Float32Array);
    });
    return { logits: this.rowsOf(out.logits as Tensor, logitRows), attention, frames };
  }

  /** The cache with its rows taken from `rows` (beam reordering, or one row expanded to several): a new cache. */
  selectRows(cache: SelfAttentionCache, rows: readonly number[]): SelfAttentionCache {
    const rowSize = this.heads * cache.length * this.headDim;
    const tensors = cache.tensors.map((data) => {
      const out = new Float32Array(rows.length * rowSize);
      rows.forEach((row, index) => out.set(data.subarray(row * rowSize, (row + 1) * rowSize), index * rowSize));
      return out;
    });
    return { batch: rows.length, length: cache.length, tensors, shared: cache.shared };
  }

  /**
   * Beam reordering in place, for a cache the caller owns outright (a step's output, never the prompt's cache,
   * which every temperature starts from): only rows that change are copied, and rows still needed as a source
   * are saved first. Saves a whole new cache (≈ 30 MB at 250 tokens, beam 5) each step.
   */
  reorderRowsInPlace(cache: SelfAttentionCache, rows: readonly number[]): SelfAttentionCache {
    if (rows.length !== cache.batch) return this.selectRows(cache, rows);
    const rowSize = this.heads * cache.length * this.headDim;
    const changed = rows.flatMap((source, target) => (source === target ? [] : [target]));
    if (changed.length === 0) return cache;
    // Rows read by a changed target that are themselves overwritten: keep a copy before writing.
    const saved = [...new Set(changed.map((target) => rows[target] as number))].filter((source) => rows[source] !== source);
    if (this.scratch.length < saved.length * rowSize) this.scratch = new Float32Array(saved.length * rowSize);
    for (const data of cache.tensors) {
      saved.forEach((source, slot) => this.scratch.set(data.subarray(source * rowSize, (source + 1) * rowSize), slot * rowSize));
      for (const target of changed) {
        const source = rows[target] as number;
        const slot = saved.indexOf(source);
        const from =
          slot >= 0 ? this.scratch.subarray(slot * rowSize, (slot + 1) * rowSize) : data.subarray(source * rowSize, (source + 1) * rowSize);
        data.set(from, target * rowSize);
      }
    }
    return cache;
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const fitted = await this.fittedEncoder;
    await Promise.all([this.encoder.release(), this.decoder.release(), this.projector?.release(), fitted?.release()]);
  }

  private fittedEncoderSession(): Promise<InferenceSession | null> {
    this.fittedEncoder ??= (async () => {
      const bytes = await readShorterContextEncoder(this.encoderPath, this.encoderShape, this.signsWeights);
      if (bytes === null || this.released) return null;
      try {
        return await createSession(bytes, this.execution.active, this.threads, false);
      } catch {
        // Shorter contexts are an optimisation: without them every window hears the full context.
        return null;
      }
    })();
    return this.fittedEncoder;
  }

  private cachedFeeds(
    tokens: readonly (readonly number[])[],
    cross: readonly Tensor[],
    cache: SelfAttentionCache | null,
    logitRows: readonly number[] | undefined,
  ): Record<string, Tensor> {
    const batch = tokens.length;
    const feeds: Record<string, Tensor> = { input_ids: this.ids(tokens) };
    if (!this.projector) {
      // Read only by the merged decoder's first-step branch; the cached branch needs a tensor of the right rank.
      feeds[ENCODER_STATES_INPUT] = new Tensor('float32', new Float32Array(batch * this.heads * this.headDim), [
        batch,
        1,
        this.heads * this.headDim,
      ]);
      feeds.use_cache_branch = new Tensor('bool', [true], [1]);
    }
    this.selfNames.forEach((name, index) => {
      feeds[name.past] =
        cache === null
          ? this.empty(batch)
          : new Tensor('float32', cache.tensors[index] as Float32Array, [batch, this.heads, cache.length, this.headDim]);
    });
    this.crossNames.forEach((name, index) => (feeds[name.past] = cross[index] as Tensor));
    this.addSharedPrompt(feeds, cache?.shared ?? null);
    if (this.selectsLogitRows) {
      const rows = logitRows ?? Array.from({ length: tokens[0]?.length ?? 0 }, (_, index) => index);
      feeds[LOGIT_ROWS_INPUT] = new Tensor('int64', BigInt64Array.from(rows, BigInt), [rows.length]);
    }
    return feeds;
  }

  /** The logits [batch, rows, vocab] of the rows asked for: as computed by a rewritten decoder, or copied out. */
  private rowsOf(logits: Tensor, logitRows: readonly number[] | undefined): Float32Array {
    const data = logits.data as Float32Array;
    if (this.selectsLogitRows || logitRows === undefined) return data;
    const [batch = 0, positions = 0] = logits.dims;
    const out = new Float32Array(batch * logitRows.length * this.vocab);
    for (let row = 0; row < batch; row += 1) {
      logitRows.forEach((position, index) => {
        const from = (row * positions + position) * this.vocab;
        out.set(data.subarray(from, from + this.vocab), (row * logitRows.length + index) * this.vocab);
      });
    }
    return out;
  }

  private addSharedPrompt(feeds: Record<string, Tensor>, shared: SharedPrompt | null): void {
    if (!this.sharesPrompt) return;
    this.selfNames.forEach((_, index) => {
      const name = sharedPromptInput(Math.floor(index / 2), index % 2 === 0 ? 'key' : 'value');
      feeds[name] =
        shared === null
          ? this.empty(1)
          : new Tensor('float32', shared.tensors[index] as Float32Array, [1, this.heads, shared.length, this.headDim]);
    });
  }

  private ids(tokens: readonly (readonly number[])[]): Tensor {
    const width = tokens[0]?.length ?? 0;
    const data = new BigInt64Array(tokens.length * width);
    tokens.forEach((row, index) => row.forEach((token, at) => (data[index * width + at] = BigInt(token))));
    return new Tensor('int64', data, [tokens.length, width]);
  }

  private empty(batch: number): Tensor {
    return new Tensor('float32', new Float32Array(0), [batch, this.heads, 0, this.headDim]);
  }

  private async timed<T>(session: 'encoder' | 'decoder', run: () => Promise<T>): Promise<T> {
    if (this.released) throw new Error('Whisper sessions used after release');
    const started = performance.now();
    const cpuStarted = processCpuMs();
    try {
      return await run();
    } finally {
      const entry = this.timings[session] as StageTiming;
      entry.totalMs += performance.now() - started;
      entry.cpuMs += processCpuMs() - cpuStarted;
      entry.runs += 1;
    }
  }
}

/** Frames [from, to) of transposed cross-attention keys, [batch, heads, head size, frames]. */
function lastAxisFramesOf(tensor: Tensor, from: number, to: number): Tensor {
  const [batch, heads, width, frames] = tensor.dims as [number, number, number, number];
  const data = tensor.data as Float32Array;
  const sliced = new Float32Array(batch * heads * width * (to - from));
  for (let row = 0; row < batch * heads * width; row += 1) {
    sliced.set(data.subarray(row * frames + from, row * frames + to), row * (to - from));
  }
  return new Tensor('float32', sliced, [batch, heads, width, to - from]);
}

/** Frames [from, to) of a cross-attention key or value, [batch, heads, frames, head size]. */
function framesOf(tensor: Tensor, from: number, to: number): Tensor {
  const [batch, heads, frames, width] = tensor.dims as [number, number, number, number];
  const data = tensor.data as Float32Array;
  const sliced = new Float32Array(batch * heads * (to - from) * width);
  for (let row = 0; row < batch * heads; row += 1) {
    sliced.set(data.subarray((row * frames + from) * width, (row * frames + to) * width), row * (to - from) * width);
  }
  return new Tensor('float32', sliced, [batch, heads, to - from, width]);
}
