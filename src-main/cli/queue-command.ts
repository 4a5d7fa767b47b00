/**
 * `verbatim import`, `verbatim jobs`, `verbatim search`: the durable queue and the library without the
 * app. Imports are jobs in the data folder's queue, so an interrupted `import` resumes on the next run
 * (of the CLI or the app) and a file is never stored twice.
 */
import { parseArgs } from 'node:util';
import { checkModelArgs, MODEL_ARG_OPTIONS } from './model-args';
import { resolve } from 'node:path';
import { errorMessage } from '../../src-shared/errors';
import type { JobSummary, TranscriptionChoice } from '../../src-shared/jobs';
import { fail, ok, type CodedError, type Result } from '../../src-shared/result';
import type { ExecutionPreference } from '../onnx/execution-provider';
import { consoleLogger } from '../../src-shared/logger';
import type { ModelDtype } from '../models/catalog';
import { defaultUserDataDir } from '../models/model-store';
import { openWorkspace } from '../app/workspace';
import type { Workspace } from '../jobs/workspace';
import type { DamagedLibraryChoice } from '../library/open-library-database';
import { LIBRARY_CHOICE_OPTIONS, LIBRARY_CHOICE_USAGE, libraryChoice, openFailureLine } from './library-choice';
import { ProgressBar } from './progress-bar';

export const QUEUE_USAGE = `Usage: verbatim import <files...> [options]   (queue files for transcription into the library; waits)
       verbatim jobs [--data-dir <dir>]          (lists the queue)
       verbatim search <text> [--data-dir <dir>] (searches every transcript)

Options:
  --data-dir <dir>     the library's folder (default: ${defaultUserDataDir()})
  --no-wait            queue the files and return (the next run of the app or the CLI works on them)
  --diarize            then find who spoke when in each (a diarize job; waits for it too)
  --separate-channels  channel 1 is you, channel 2 everybody else (mic + monitor): each is transcribed on
                       its own, channel 1 labelled with --user-name, only channel 2 diarized
  --user-name <name>   your name for channel 1 (default: Me)
  --model, --model-dir, --models-dir, --dtype, --language, --task, --prompt, --device: as for transcribe
${LIBRARY_CHOICE_USAGE}`;

export interface QueueCommand {
  command: 'import' | 'jobs' | 'search';
  args: string[];
  dataDir: string;
  wait: boolean;
  diarize: boolean;
  choice: TranscriptionChoice;
  userName: string | null;
  modelDir: string | null;
  modelsDir: string | null;
  dtype: ModelDtype | null;
  device: ExecutionPreference;
  onDamagedLibrary: DamagedLibraryChoice;
}

export function parseQueueArgs(command: QueueCommand['command'], argv: string[]): Result<QueueCommand> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        'no-wait': { type: 'boolean', default: false },
        diarize: { type: 'boolean', default: false },
        ...LIBRARY_CHOICE_OPTIONS,
        'separate-channels': { type: 'boolean', default: false },
        'user-name': { type: 'string' },
        ...MODEL_ARG_OPTIONS,
      },
    });
  } catch (error) {
    return fail('CLI_BAD_ARGS', errorMessage(error));
  }
  const { values, positionals } = parsed;
  if (command === 'import' && positionals.length === 0) return fail('CLI_BAD_ARGS', 'import: name at least one file.');
  if (command === 'search' && positionals.join(' ').trim() === '') return fail('CLI_BAD_ARGS', 'search: give the text to look for.');
  const model = checkModelArgs(values);
  if (!model.ok) return model;
  const onDamagedLibrary = libraryChoice(values);
  if (!onDamagedLibrary.ok) return onDamagedLibrary;
  const { modelId, language, task, prompt, modelDir, modelsDir, dtype, device } = model.value;
  const userName = values['user-name']?.trim() ?? null;
  if (userName !== null && (userName === '' || userName.length > 80))
    return fail('CLI_BAD_ARGS', '--user-name must be 1 to 80 characters.');
  return ok({
    command,
    args: positionals,
    dataDir: resolve(values['data-dir'] ?? defaultUserDataDir()),
    wait: !values['no-wait'],
    diarize: values.diarize,
    choice: {
      modelId: modelId || undefined,
      language,
      task,
      prompt: prompt || undefined,
      channels: values['separate-channels'] ? ('separate' as const) : undefined,
    },
    userName,
    modelDir,
    modelsDir,
    dtype,
    device,
    onDamagedLibrary: onDamagedLibrary.value,
  });
}

export async function runQueueCommand(command: QueueCommand): Promise<number> {
  const opened = await openWorkspace({
    dataDir: command.dataDir,
    device: command.device,
    autoDiarize: command.diarize,
    onDamagedLibrary: command.onDamagedLibrary,
    logger: consoleLogger(),
    userName: command.userName !== null ? () => command.userName ?? '' : undefined,
    modelsDir: command.modelsDir ? resolve(command.modelsDir) : undefined,
    defaults: {
      modelId: command.choice.modelId || undefined,
      modelDir: command.modelDir ? resolve(command.modelDir) : undefined,
      dtype: command.dtype || undefined,
    },
  });
  if (!opened.ok) {
    process.stderr.write(openFailureLine(opened.error));
    return 1;
  }
  const workspace = opened.value;
  if (workspace.libraryNotice !== null) process.stderr.write(`${workspace.libraryNotice}\n`);
  try {
    if (command.command === 'jobs') return listJobs(workspace);
    if (command.command === 'search') return search(workspace, command.args.join(' '));
    return await importAll(workspace, command);
  } finally {
    await workspace.close();
  }
}

function listJobs(workspace: Workspace): number {
  const jobs = workspace.jobs.list();
  if (!jobs.ok) return reportError(jobs.error);
  for (const job of jobs.value) process.stdout.write(`${describeJob(job)}\n`);
  return 0;
}

function search(workspace: Workspace, text: string): number {
  const hits = workspace.library.search(text);
  if (!hits.ok) return reportError(hits.error);
  for (const hit of hits.value) {
    const snippet = hit.snippet.map((part) => (part.hit ? `[${part.text}]` : part.text)).join('');
    process.stdout.write(`${hit.meetingTitle} @ ${timecode(hit.start)} (meeting ${hit.meetingId}, segment ${hit.segmentId}): ${snippet}\n`);
  }
  return hits.value.length > 0 ? 0 : 1;
}

async function importAll(workspace: Workspace, command: QueueCommand): Promise<number> {
  const bar = new ProgressBar(process.stderr, command.wait);
  const pending = new Map<string, JobSummary>();
  let failures = 0;
  for (const [index, enqueued] of workspace.importFiles(command.args, command.choice).entries()) {
    if (enqueued.ok) pending.set(enqueued.value.id, enqueued.value);
    else {
      failures += 1;
      bar.finish(`error ${enqueued.error.code}: ${resolve(command.args[index] ?? '')}: ${enqueued.error.message}`);
    }
  }
  if (!command.wait) {
    for (const job of pending.values()) process.stdout.write(`queued ${job.id} ${job.title}\n`);
    return failures === 0 ? 0 : 1;
  }
  await new Promise<void>((done) => {
    const finish = (job: JobSummary): void => {
      if (!pending.delete(job.id)) return;
      const diarizeJob =
        job.state === 'succeeded' && job.kind === 'import' && command.diarize ? diarizeJobOf(workspace, job.meetingId) : null;
      if (diarizeJob) pending.set(diarizeJob.id, diarizeJob);
      if (job.state === 'succeeded')
        bar.finish(`done ${job.kind === 'diarize' ? 'speakers of ' : ''}${job.title} → meeting ${job.meetingId ?? '?'}`);
      else {
        failures += 1;
        bar.finish(
          `error ${job.lastError?.code ?? job.state.toUpperCase()}: ${job.lastError?.subject ?? job.title}: ${job.lastError?.message ?? job.state}`,
        );
      }
      if (pending.size === 0) done();
    };
    const unsubscribe = workspace.jobs.onEvent((event) => {
      if (event.type === 'progress') {
        const job = pending.get(event.jobId);
        if (job) bar.update(job.title, event.stage ?? '', event.progress);
      } else if (event.type === 'changed' && ['succeeded', 'failed', 'cancelled'].includes(event.job.state)) finish(event.job);
      if (pending.size === 0) unsubscribe();
    });
    // Jobs that ended before we subscribed (a bad file fails in milliseconds).
    for (const id of [...pending.keys()]) {
      const job = workspace.jobs.get(id);
      if (job.ok && ['succeeded', 'failed', 'cancelled'].includes(job.value.state)) finish(job.value);
    }
    if (pending.size === 0) done();
  });
  return failures === 0 ? 0 : 1;
}

/** The diarize job the workspace queued for a meeting whose import just succeeded. */
function diarizeJobOf(workspace: Workspace, meetingId: string | null): JobSummary | null {
  const jobs = workspace.jobs.list({ kinds: ['diarize'], states: ['queued', 'running'] });
  return (jobs.ok ? jobs.value.find((job) => job.meetingId === meetingId) : undefined) ?? null;
}

function describeJob(job: JobSummary): string {
  const error = job.lastError ? ` ${job.lastError.code}: ${job.lastError.message}` : '';
  return `${job.id} ${job.kind.padEnd(12)} ${job.state.padEnd(9)} ${job.progress.toFixed(0).padStart(3)}% attempts ${job.attempts}/${job.maxAttempts} ${job.title}${error}`;
}

function timecode(seconds: number): string {
  const whole = Math.floor(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  return `${hours > 0 ? `${hours}:` : ''}${String(minutes).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
}

function reportError(error: CodedError): number {
  process.stderr.write(`error ${error.code}: ${error.message}\n`);
  return 1;
}
