/**
 * Provisional speaker labels while recording: each committed utterance's audio is embedded and joins the
 * nearest running speaker centroid (or starts a new speaker). The embedding model loads once per recording
 * and stays warm; `dispose` releases it when the recording stops. After the stop, the diarize job replaces
 * these labels with the whole-recording clustering.
 */
import { basename, dirname } from 'node:path';
import { ok, type Result } from '../../src-shared/result';
import type { ExecutionPreference } from '../onnx/execution-provider';
import { embeddingProfile } from './diarization-models';
import { loadOnnxEmbedder, type SpeakerEmbedder } from './embedding-model';
import { OnlineSpeakerTracker } from './online-speakers';
import { speakerLabel } from './speaker-label';

/** What the live transcriber asks of it: a label for the audio of one committed segment. */
export interface LiveSpeakerLabeler {
  /** A label such as "SPEAKER_01", or null when the audio is too short to tell who it is. */
  label(samples: Float32Array): Promise<string | null>;
  dispose(): Promise<void>;
}

export interface LiveSpeakerOptions {
  /**
   * Cosine similarity needed to join a running speaker; default the embedding model's calibrated speaker
   * threshold (0.3 for CAM++: more alike than 99 % of different-speaker pairs of 2 s pieces).
   */
  threshold?: number;
  /** Utterances shorter than this (samples at 16 kHz) get no label; default 0.8 s. */
  minSamples?: number;
}

const SR = 16_000;

export class EmbeddingSpeakerLabeler implements LiveSpeakerLabeler {
  private readonly tracker: OnlineSpeakerTracker;
  private readonly minSamples: number;
  private disposed = false;

  constructor(
    private readonly embedder: SpeakerEmbedder,
    options: LiveSpeakerOptions = {},
  ) {
    this.tracker = new OnlineSpeakerTracker({ threshold: options.threshold ?? 0.6 });
    this.minSamples = options.minSamples ?? Math.round(0.8 * SR);
  }

  async label(samples: Float32Array): Promise<string | null> {
    if (this.disposed || samples.length < this.minSamples) return null;
    const [embedding] = await this.embedder.embed([samples]);
    if (embedding === undefined || !embedding.some((value) => value !== 0)) return null;
    return speakerLabel(this.tracker.assign(embedding, samples.length / SR).speaker);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.embedder.dispose();
  }
}

/** Loads the embedding model for one recording (one intra-op thread: it shares the machine with Whisper). */
export async function loadLiveSpeakerLabeler(
  modelPath: string,
  execution: ExecutionPreference,
  options: LiveSpeakerOptions = {},
): Promise<Result<LiveSpeakerLabeler>> {
  // Installed models sit at <models>/<catalog id>/onnx/model.onnx: the id says which front end and threshold.
  const profile = embeddingProfile(basename(dirname(dirname(modelPath))));
  const loaded = await loadOnnxEmbedder({ modelPath, execution, threads: 1, frontEnd: profile.frontEnd });
  if (!loaded.ok) return loaded;
  return ok(new EmbeddingSpeakerLabeler(loaded.value.embedder, { threshold: profile.speakerThreshold, ...options }));
}
