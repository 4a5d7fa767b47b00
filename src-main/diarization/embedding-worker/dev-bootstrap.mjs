// Runs the TypeScript worker entry from source (tests, benches, `npm run diarize`): registers tsx in this
// worker thread, then imports the entry. Built apps start the bundled .js entry directly.
import { workerData } from 'node:worker_threads';

const { register } = await import('tsx/esm/api');
register();
await import(workerData.entry);
