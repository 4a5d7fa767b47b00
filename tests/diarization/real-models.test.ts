/**
 * Accuracy with the real diarization models (pyannote segmentation-3.0 and WeSpeaker ResNet34 in ONNX). No
 * registry package ships them (see README: "Speaker diarization"); these tests run when they sit in
 * ../shared/models/<model id>/onnx/model.onnx, and the attribution test also needs a real Whisper there.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWhisperRecognizer } from '../../src-main/asr/whisper-recognizer';
import { assignSpeakers } from '../../src-main/diarization/assign-speakers';
import { scoreDiarization } from '../../src-main/diarization/der';
import { diarizeSamples, type DiarizationModels } from '../../src-main/diarization/diarize-audio';
import { loadOnnxEmbedder } from '../../src-main/diarization/embedding-model';
import { parseRttm } from '../../src-main/diarization/rttm';
import { loadOnnxSegmenter } from '../../src-main/diarization/segmentation-model';
import { availableDtypes } from '../../src-main/models/model-store';
import { createSpeechFinder } from '../../src-main/pipeline/find-speech';
import { transcribeFile } from '../../src-main/pipeline/transcribe-file';
import { decodeAll, ffmpeg, makeTempDir, realDecoder } from '../audio/helpers';
import { anyRealWhisper, realDiarizationModels, SHARED_AUDIO } from '../support/paths';

const real = realDiarizationModels();

describe.runIf(real !== null)('real diarization models', () => {
  const decoder = realDecoder();
  let models: DiarizationModels;
  let temp: Awaited<ReturnType<typeof makeTempDir>>;

  beforeAll(async () => {
    const paths = real as { segmentation: string; embedding: string };
    const segmentation = await loadOnnxSegmenter({ modelPath: paths.segmentation, execution: 'auto' });
    const embedding = await loadOnnxEmbedder({ modelPath: paths.embedding, execution: 'auto' });
    if (!segmentation.ok) throw new Error(segmentation.error.message);
    if (!embedding.ok) throw new Error(embedding.error.message);
    models = { segmenter: segmentation.value.segmenter, embedder: embedding.value.embedder };
    temp = await makeTempDir('real-diarization');
  }, 120_000);
  afterAll(async () => {
    await Promise.all([models?.segmenter.dispose(), models?.embedder.dispose(), temp?.cleanup()]);
  });

  it('diarizes two-speakers.wav with DER ≤ 15 % against its RTTM', async () => {
    const audio = await decodeAll(decoder, path.join(SHARED_AUDIO, 'two-speakers.wav'));
    const reference = parseRttm(await readFile(path.join(SHARED_AUDIO, 'two-speakers.rttm'), 'utf8'));
    if (!reference.ok) throw new Error(reference.error.message);
    const result = await diarizeSamples(audio, models);
    if (!result.ok) throw new Error(result.error.message);
    const score = scoreDiarization(reference.value, result.value.turns);
    if (!score.ok) throw new Error(score.error.message);
    console.log(`real models, two-speakers.wav: ${result.value.speakerCount} speakers, DER ${(100 * score.value.der).toFixed(1)} %`);
    expect(result.value.speakerCount).toBe(2);
    expect(score.value.der).toBeLessThanOrEqual(0.15);
  }, 300_000);

  const whisper = anyRealWhisper();
  it.runIf(whisper !== null)('attributes the two sentences of stereo-two-speakers.wav (mixed to mono) to two different speakers', async () => {
    const mono = path.join(temp.dir, 'stereo-mono.wav');
    await ffmpeg(decoder, ['-i', path.join(SHARED_AUDIO, 'stereo-two-speakers.wav'), '-ac', '1', mono]);
    const { modelId, dir } = whisper as { modelId: string; dir: string };
    const loaded = await loadWhisperRecognizer({ modelId, modelDir: dir, dtype: (await availableDtypes(dir))[0] ?? 'fp32', execution: 'auto' });
    if (!loaded.ok) throw new Error(loaded.error.message);
    const speech = createSpeechFinder(decoder);
    try {
      const probe = await decoder.probe(mono);
      if (!probe.ok) throw new Error(probe.error.message);
      const transcript = await transcribeFile(probe.value, { decoder, recognizer: loaded.value, findSpeech: speech.findSpeech }, { language: 'en', task: 'transcribe' });
      if (!transcript.ok) throw new Error(transcript.error.message);
      const diarized = await diarizeSamples(await decodeAll(decoder, mono), models);
      if (!diarized.ok) throw new Error(diarized.error.message);
      const segments = assignSpeakers(transcript.value.segments, diarized.value.turns);
      const speakerSaying = (word: string): string | null | undefined => segments.find((segment) => segment.text.toLowerCase().includes(word))?.speaker;
      const wizard = speakerSaying('wizard');
      const horizon = speakerSaying('horizon');
      expect(wizard).toBeTruthy();
      expect(horizon).toBeTruthy();
      expect(wizard).not.toBe(horizon);
    } finally {
      await loaded.value.dispose();
      await speech.dispose();
    }
  }, 300_000);
});
