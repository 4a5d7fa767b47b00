import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadModelFiles, type DownloadProgress } from '../../src-main/models/downloader';
import { LocalHub } from '../support/local-hub';

const encoder = randomBytes(300_000);
const config = Buffer.from('{"model_type":"whisper"}');
const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const files = new Map([
  ['onnx/encoder_model.onnx', encoder],
  ['config.json', config],
]);
const catalogFiles = [
  { path: 'config.json', sha256: null, sizeBytes: null },
  { path: 'onnx/encoder_model.onnx', sha256: null, sizeBytes: null },
];
const noWait = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 4 };

let dest: string;
beforeEach(async () => {
  dest = await mkdtemp(join(tmpdir(), 'verbatim-dl-'));
});
afterEach(async () => {
  await rm(dest, { recursive: true, force: true });
});

async function withHub<T>(hub: LocalHub, run: (baseUrl: string) => Promise<T>): Promise<T> {
  const baseUrl = await hub.start();
  try {
    return await run(baseUrl);
  } finally {
    await hub.stop();
  }
}

describe('downloadModelFiles', () => {
  it('downloads every file, verifies it against the hub hash and reports progress', async () => {
    const progress: DownloadProgress[] = [];
    const result = await withHub(new LocalHub(files), (baseUrl) =>
      downloadModelFiles({ repo: 'org/model', revision: 'main', files: catalogFiles, destDir: dest, baseUrl, retry: noWait, onProgress: (p) => progress.push(p) }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.map((file) => [file.path, file.sha256, file.verifiedAgainst])).toEqual([
      ['config.json', sha(config), 'hub'],
      ['onnx/encoder_model.onnx', sha(encoder), 'hub'],
    ]);
    expect(sha(await readFile(join(dest, 'onnx/encoder_model.onnx')))).toBe(sha(encoder));
    expect(progress.at(-1)).toMatchObject({ file: 'onnx/encoder_model.onnx', receivedBytes: encoder.length, totalBytes: encoder.length });
  });

  it('resumes an interrupted download with a Range request and retries a 503', async () => {
    const hub = new LocalHub(files);
    hub.injectFault('onnx/encoder_model.onnx', { dropAfterBytes: 100_000 });
    hub.injectFault('onnx/encoder_model.onnx', { status: 503 });
    const result = await withHub(hub, (baseUrl) =>
      downloadModelFiles({ repo: 'org/model', revision: 'main', files: catalogFiles, destDir: dest, baseUrl, retry: noWait }),
    );
    expect(result.ok).toBe(true);
    expect(sha(await readFile(join(dest, 'onnx/encoder_model.onnx')))).toBe(sha(encoder));
    const gets = hub.requests.filter((line) => line.startsWith('GET onnx/'));
    expect(gets).toHaveLength(3);
    expect(gets[2]).toMatch(/bytes=\d+-$/);
    expect(await readdir(join(dest, 'onnx'))).toEqual(['encoder_model.onnx']);
  });

  it('rejects a file whose bytes do not match the pinned sha256 and leaves no partial file', async () => {
    const pinned = [{ path: 'onnx/encoder_model.onnx', sha256: 'f'.repeat(64), sizeBytes: null }];
    const result = await withHub(new LocalHub(files), (baseUrl) =>
      downloadModelFiles({ repo: 'org/model', revision: 'main', files: pinned, destDir: dest, baseUrl, retry: noWait }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('DOWNLOAD_CHECKSUM_MISMATCH');
    expect(await readdir(join(dest, 'onnx'))).toEqual([]);
  });

  it('fails at once on a missing file (no retry)', async () => {
    const hub = new LocalHub(files);
    const missing = [{ path: 'onnx/nope.onnx', sha256: null, sizeBytes: null }];
    const result = await withHub(hub, (baseUrl) =>
      downloadModelFiles({ repo: 'org/model', revision: 'main', files: missing, destDir: dest, baseUrl, retry: noWait }),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('DOWNLOAD_NOT_FOUND');
    expect(hub.requests).toEqual(['HEAD onnx/nope.onnx']);
  });
});

describe('pinCatalogModels', () => {
  it('records the hub sha256 and size of every file of a model', async () => {
    const { pinCatalogModels } = await import('../../src-main/models/pin-catalog');
    const model = {
      id: 'm', kind: 'asr' as const, family: 'whisper' as const, repo: 'org/model', revision: 'main', multilingual: true,
      parametersMillions: 1, defaultDtype: 'fp32' as const,
      commonFiles: [{ path: 'config.json', sha256: null, sizeBytes: null }],
      dtypes: {
        fp32: { files: [{ path: 'onnx/encoder_model.onnx', sha256: null, sizeBytes: null }], approxDownloadMB: 1 },
        fp16: { files: [], approxDownloadMB: 1 },
        q8: { files: [], approxDownloadMB: 1 },
        q4: { files: [], approxDownloadMB: 1 },
      },
    };
    const result = await withHub(new LocalHub(files), (baseUrl) => pinCatalogModels([model], { baseUrl }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value[0]?.dtypes.fp32.files[0]).toEqual({ path: 'onnx/encoder_model.onnx', sha256: sha(encoder), sizeBytes: encoder.length });
    expect(result.value[0]?.commonFiles[0]).toEqual({ path: 'config.json', sha256: sha(config), sizeBytes: config.length });
  });

  it('pins the diarization models from the real catalog the same way', async () => {
    const { pinDiarizationModels } = await import('../../src-main/models/pin-catalog');
    const { listDiarizationModels } = await import('../../src-main/models/diarization-catalog');
    const catalog = listDiarizationModels().map((model) => ({ ...model, repo: 'org/model' }));
    expect(catalog.map((model) => model.role).sort()).toEqual(['embedding', 'embedding', 'segmentation']);
    const onnx = randomBytes(50_000);
    // Files are fetched by their hub name (CAM++'s differs from where it is kept) and pinned under their local path.
    const files = new Map(catalog.map((model) => [model.file.remotePath ?? model.file.path, onnx]));
    const result = await withHub(new LocalHub(files), (baseUrl) => pinDiarizationModels(catalog, { baseUrl }));
    if (!result.ok) throw new Error(result.error.message);
    for (const model of result.value) expect(model.file).toMatchObject({ path: 'onnx/model.onnx', sha256: sha(onnx), sizeBytes: onnx.length });
  });
});
