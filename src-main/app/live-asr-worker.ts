/**
 * Worker thread hosting live transcription (Silero + Whisper + LiveTranscriber). onnxruntime-node runs
 * inference synchronously on the calling thread, so on the main thread every encoder pass would stall
 * the capture callbacks and the disk writer; here it stalls nothing but itself.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadWhisperRecognizer } from '../asr/whisper-recognizer';
import { loadLiveSpeakerLabeler, type LiveSpeakerLabeler } from '../diarization/live-speaker-labeler';
import { SileroVad } from '../vad/silero-vad';
import { LiveTranscriber } from '../record/live-transcriber';
import { loadLiveModels } from '../record/live-models';
import type { FromLiveAsrWorker, LiveAsrWorkerConfig, ToLiveAsrWorker } from '../record/asr-worker/protocol';
import { errorMessage } from '../../src-shared/errors';

const port = parentPort;
if (!port) throw new Error('live-asr-worker must run as a worker thread');
const post = (message: FromLiveAsrWorker, transfer?: ArrayBuffer[]): void => port.postMessage(message, transfer);
const config = (workerData as { config: LiveAsrWorkerConfig }).config;

const models = await loadLiveModels(
  () => loadWhisperRecognizer({ modelId: config.modelId, modelDir: config.modelDir, dtype: config.dtype, execution: config.execution }),
  () => SileroVad.load(),
);
// Live speaker labels are a bonus: without the model (or if it fails to load) the recording goes on unlabelled.
async function loadSpeakers(): Promise<LiveSpeakerLabeler | undefined> {
  if (config.speakerModelPath === null) return undefined;
  const loaded = await loadLiveSpeakerLabeler(config.speakerModelPath, config.execution);
  if (loaded.ok) return loaded.value;
  post({ type: 'event', event: { type: 'error', error: loaded.error, fatal: false } });
  return undefined;
}

if (!models.ok) {
  post({ type: 'open-failed', error: models.error });
  port.close();
} else {
  const speakers = await loadSpeakers();
  const transcriber = new LiveTranscriber({
    recognizer: models.value.recognizer,
    vad: models.value.vad,
    speakers,
    emit: (event) => post({ type: 'event', event }),
    language: config.language,
    task: config.task,
    initialPrompt: config.initialPrompt || undefined,
  });
  const done = (id: number): void =>
    post({ type: 'done', id, segmentsCommitted: transcriber.segmentsCommitted, detectedLanguage: transcriber.detectedLanguage });

  const handle = async (message: ToLiveAsrWorker): Promise<void> => {
    switch (message.type) {
      case 'push':
        await transcriber.push(message.samples);
        return done(message.id);
      case 'skip':
        return transcriber.skip(message.from, message.to);
      case 'flush':
        await transcriber.flush();
        return done(message.id);
      case 'release':
        await Promise.all([models.value.release(), speakers?.dispose()]);
        post({ type: 'released' });
        port.close();
    }
  };

  // Messages are handled strictly in order, one at a time, like calls on an in-process transcriber.
  let queue = Promise.resolve();
  port.on('message', (message: ToLiveAsrWorker) => {
    queue = queue.then(() =>
      handle(message).catch((error: unknown) => {
        const id = message.type === 'push' || message.type === 'flush' ? message.id : -1;
        post({ type: 'failed', id, message: errorMessage(error) });
      }),
    );
  });
  post({ type: 'opened' });
}
