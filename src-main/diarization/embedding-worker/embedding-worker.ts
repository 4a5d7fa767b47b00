/**
 * Worker thread hosting the speaker-embedding model. onnxruntime-node runs a session synchronously on the
 * calling thread, so on the diarization's thread the embeddings and the segmentation could only take turns;
 * here the pieces of one batch are embedded while the next batch is segmented, each model on its own core.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadOnnxEmbedder } from '../embedding-model';
import type { EmbeddingWorkerConfig, FromEmbeddingWorker, ToEmbeddingWorker } from './protocol';

const port = parentPort;
if (!port) throw new Error('embedding-worker must run as a worker thread');
const post = (message: FromEmbeddingWorker, transfer?: ArrayBuffer[]): void => port.postMessage(message, transfer);
const config = (workerData as { config: EmbeddingWorkerConfig }).config;

const loaded = await loadOnnxEmbedder(config);
if (!loaded.ok) {
  post({ type: 'open-failed', error: loaded.error });
  port.close();
} else {
  const { embedder, execution } = loaded.value;
  const handle = async (message: ToEmbeddingWorker): Promise<void> => {
    switch (message.type) {
      case 'embed': {
        const vectors = await embedder.embedFeatures(message.features);
        post(
          { type: 'embedded', id: message.id, vectors },
          vectors.map((vector) => vector.buffer as ArrayBuffer),
        );
        return;
      }
      case 'release':
        await embedder.dispose();
        post({ type: 'released' });
        port.close();
    }
  };
  // One request at a time, in order, like calls on an in-thread embedder.
  let queue = Promise.resolve();
  port.on('message', (message: ToEmbeddingWorker) => {
    queue = queue.then(() =>
      handle(message).catch((error: unknown) => {
        post({
          type: 'failed',
          id: message.type === 'embed' ? message.id : -1,
          message: error instanceof Error ? error.message : String(error),
        });
      }),
    );
  });
  post({ type: 'opened', dimension: embedder.dimension, execution });
}
