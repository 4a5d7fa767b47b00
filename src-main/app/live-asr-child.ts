/**
 * The live transcription process (Silero + Whisper + LiveTranscriber), one per recording, started by
 * record/live-asr-process/child-transcription.ts: fork under Node, Electron's utilityProcess in the app.
 * It ends when the recording releases it, or at once when its channel to the app closes.
 */
import { loadWhisperRecognizer } from '../asr/whisper-recognizer';
import { loadLiveSpeakerLabeler, type LiveSpeakerLabeler } from '../diarization/live-speaker-labeler';
import { SileroVad } from '../vad/silero-vad';
import { LiveTranscriber } from '../record/live-transcriber';
import { loadLiveModels } from '../record/live-models';
import {
  decodeLiveAsrChildConfig,
  isToLiveAsrChild,
  type FromLiveAsrChild,
  type LiveAsrChildConfig,
  type ToLiveAsrChild,
} from '../record/live-asr-process/protocol';
import { errorMessage } from '../../src-shared/errors';
import { parentChannel, type ParentChannel } from './parent-channel';

const maybeParent = parentChannel<FromLiveAsrChild>();
const maybeConfig = decodeLiveAsrChildConfig(process.argv.at(-1));
if (maybeParent === null || maybeConfig === null) {
  process.stderr.write('live-asr-child must be started by the app, with its configuration as the last argument\n');
  process.exit(2);
}
const parent: ParentChannel<FromLiveAsrChild> = maybeParent;
const config: LiveAsrChildConfig = maybeConfig;
const post = (message: FromLiveAsrChild): void => {
  try {
    parent.send(message);
  } catch {
    // The channel closed under us; 'disconnect' ends this process.
  }
};
parent.onDisconnect(() => process.exit(0));

const models = await loadLiveModels(
  () =>
    loadWhisperRecognizer({
      modelId: config.modelId,
      modelDir: config.modelDir,
      dtype: config.dtype,
      execution: config.execution,
      workload: 'live',
    }),
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

  const handle = async (message: ToLiveAsrChild): Promise<void> => {
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
        process.exit(0);
    }
  };

  // Messages are handled strictly in order, one at a time, like calls on an in-process transcriber.
  let queue = Promise.resolve();
  parent.onMessage((message: unknown) => {
    if (!isToLiveAsrChild(message)) return;
    queue = queue.then(() =>
      handle(message).catch((error: unknown) => {
        const id = message.type === 'push' || message.type === 'flush' ? message.id : -1;
        post({ type: 'failed', id, message: errorMessage(error) });
      }),
    );
  });
  post({ type: 'opened' });
}
