import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findInstalledDiarizationModel, resolveDiarizationModels } from '../../src-main/diarization/diarization-models';
import { makeTempDir } from '../audio/helpers';
import { LocalHub } from '../support/local-hub';
import { TINY_DIARIZATION, TINY_EMBEDDING_MODEL, TINY_SEGMENTATION_MODEL } from '../support/paths';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  temp = await makeTempDir('diarization-models');
});
afterEach(async () => {
  await temp.cleanup();
});

describe('resolveDiarizationModels', () => {
  it('finds installed models in the search folders, in order, without downloading', async () => {
    const resolved = await resolveDiarizationModels({ searchDirs: [path.join(temp.dir, 'empty'), TINY_DIARIZATION], downloadDir: null });
    expect(resolved).toEqual({ ok: true, value: { segmentation: TINY_SEGMENTATION_MODEL, embedding: TINY_EMBEDDING_MODEL } });
    expect(await findInstalledDiarizationModel('wespeaker-voxceleb-resnet34-LM', [temp.dir])).toBeNull();
    expect(await findInstalledDiarizationModel('no-such-model', [TINY_DIARIZATION])).toBeNull();
  });

  it('downloads what is missing from the hub, verified, into the models folder', async () => {
    const segmentation = await readFile(TINY_SEGMENTATION_MODEL);
    const embedding = await readFile(TINY_EMBEDDING_MODEL);
    // One repo per model on a real hub; this test hub serves by path, so both share onnx/model.onnx: the
    // embedding model is installed locally and only the segmentation model is fetched.
    const installed = path.join(temp.dir, 'installed', 'wespeaker-voxceleb-resnet34-LM', 'onnx');
    await mkdir(installed, { recursive: true });
    await writeFile(path.join(installed, 'model.onnx'), embedding);
    const hub = new LocalHub(new Map([['onnx/model.onnx', segmentation]]));
    const baseUrl = await hub.start();
    try {
      const downloadDir = path.join(temp.dir, 'models');
      const progress: string[] = [];
      const resolved = await resolveDiarizationModels({
        searchDirs: [downloadDir, path.join(temp.dir, 'installed')],
        downloadDir,
        baseUrl,
        onProgress: (event) => progress.push(event.modelId),
      });
      if (!resolved.ok) throw new Error(resolved.error.message);
      expect(resolved.value.segmentation).toBe(path.join(downloadDir, 'pyannote-segmentation-3.0', 'onnx', 'model.onnx'));
      expect(await readFile(resolved.value.segmentation)).toEqual(segmentation);
      expect(new Set(progress)).toEqual(new Set(['pyannote-segmentation-3.0']));
    } finally {
      await hub.stop();
    }
  });

  it('says a model is missing when downloading is off, and names unknown ids', async () => {
    const missing = await resolveDiarizationModels({ searchDirs: [temp.dir], downloadDir: null });
    expect(missing).toMatchObject({ ok: false, error: { code: 'MODEL_MISSING', subject: 'pyannote-segmentation-3.0' } });
    const unknown = await resolveDiarizationModels({ searchDirs: [TINY_DIARIZATION], downloadDir: null, embeddingModelId: 'x-vector' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'MODEL_UNKNOWN', subject: 'x-vector' } });
  });
});
