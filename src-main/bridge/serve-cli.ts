/**
 * `npm run serve -- [--data-dir D] [--model-dir M] [--models-dir D] [--device cpu|auto|gpu] [--port N]`:
 * the app in a browser on this machine. Prints one line with the URL (it carries the run's token) once
 * listening; Ctrl+C (or SIGTERM) stops the server and finalizes a running recording before exiting.
 */
import { createAppServices } from '../app/services';
import { DEFAULT_RENDERER_DIR, startBridge } from './bridge-server';
import { parseServeArgs, SERVE_USAGE } from './serve-args';
import { openFailureLine } from '../cli/library-choice';
import { installLastResortHandlers } from '../util/last-resort';
import { rendererBuilt, RENDERER_MISSING } from './static-files';
import { errorMessage } from '../../src-shared/errors';
import { consoleLogger } from '../../src-shared/logger';

async function main(argv: string[]): Promise<number> {
  const command = parseServeArgs(argv);
  if (!command.ok) {
    if (command.error.code === 'CLI_HELP') {
      process.stdout.write(command.error.message);
      return 0;
    }
    process.stderr.write(`${command.error.message}\n\n${SERVE_USAGE}`);
    return 2;
  }
  // Listening for the signals before anything starts: a stop asked for during start-up still shuts down cleanly.
  const stopRequested = untilStopSignal();
  // A defect that escapes a request is reported, never the end of a running recording.
  installLastResortHandlers(process, (problem) => process.stderr.write(`error ${problem.code}: ${problem.message}\n`));
  if (!rendererBuilt(DEFAULT_RENDERER_DIR)) process.stderr.write(`${RENDERER_MISSING}\n`);
  const services = await createAppServices({ ...command.value.services, logger: consoleLogger() });
  if (!services.ok) {
    process.stderr.write(openFailureLine(services.error));
    return 1;
  }
  if (services.value.libraryNotice !== null) process.stderr.write(`${services.value.libraryNotice}\n`);
  let bridge;
  try {
    bridge = await startBridge({ services: services.value, port: command.value.port });
  } catch (error) {
    process.stderr.write(`Could not listen on 127.0.0.1:${command.value.port}: ${errorMessage(error)}\n`);
    await services.value.dispose();
    return 1;
  }
  process.stdout.write(`Verbatim is served at ${bridge.url}\n`);

  await stopRequested;
  await bridge.close();
  // Finalizes a running recording, hands running jobs back to the queue, closes the library.
  await services.value.dispose();
  return 0;
}

function untilStopSignal(): Promise<void> {
  return new Promise((resolveStop) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveStop();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
