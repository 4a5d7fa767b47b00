import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveDiarizationModels } from '../../src-main/diarization/diarization-models';
import { findInstalledDiarizationModel } from '../../src-main/models/diarization-catalog';
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
    // The default embedding model is CAM++, with its own front end and calibrated threshold.
    expect(resolved).toEqual({
      ok: true,
      value: {
        segmentation: TINY_SEGMENTATION_MODEL,
        embedding: path.join(TINY_DIARIZATION, 'campplus-3dspeaker-zh_en-common/onnx/model.onnx'),
        embeddingProfile: {
          modelId: 'campplus-3dspeaker-zh_en-common',
          frontEnd: { window: 'povey', inputScale: 1 },
          speakerThreshold: 0.3,
        },
      },
    });
    const wespeaker = await resolveDiarizationModels({
      searchDirs: [TINY_DIARIZATION],
      downloadDir: null,
      embeddingModelId: 'wespeaker-voxceleb-resnet34-LM',
    });
    expect(wespeaker).toMatchObject({
      ok: true,
      value: { embedding: TINY_EMBEDDING_MODEL, embeddingProfile: { frontEnd: { window: 'hamming', inputScale: 32768 } } },
    });
    expect(await findInstalledDiarizationModel('wespeaker-voxceleb-resnet34-LM', [temp.dir])).toBeNull();
    expect(await findInstalledDiarizationModel('no-such-model', [TINY_DIARIZATION])).toBeNull();
  });

  it('downloads what is missing from the hub, verified, into the models folder', async () => {
    const segmentation = await readFile(TINY_SEGMENTATION_MODEL);
    const embedding = await readFile(TINY_EMBEDDING_MODEL);
    // One repo per model on a real hub; this test hub serves by path, so both share onnx/model.onnx: the
    // embedding model is installed locally and only the segmentation model is fetched.
    const installed = path.join(temp.dir, 'installed', 'campplus-3dspeaker-zh_en-common', 'onnx');
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

  it('fetches CAM++ under its hub file name and refuses bytes that are not the pinned sha256', async () => {
    const segmentation = await readFile(TINY_SEGMENTATION_MODEL);
    const impostor = await readFile(TINY_EMBEDDING_MODEL);
    const remote = '3dspeaker_speech_campplus_sv_zh_en_16k-common_advanced.onnx';
    const hub = new LocalHub(
      new Map([
        ['onnx/model.onnx', segmentation],
        [remote, impostor],
      ]),
    );
    const baseUrl = await hub.start();
    try {
      const downloadDir = path.join(temp.dir, 'models');
      const resolved = await resolveDiarizationModels({ searchDirs: [downloadDir], downloadDir, baseUrl });
      // The catalog pins the size too (28281164 bytes): a different file is refused before its hash is checked.
      expect(resolved).toMatchObject({
        ok: false,
        error: { code: expect.stringMatching(/^DOWNLOAD_(SIZE|CHECKSUM)_MISMATCH$/) as unknown as string },
      });
      expect(await findInstalledDiarizationModel('campplus-3dspeaker-zh_en-common', [downloadDir])).toBeNull();
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
