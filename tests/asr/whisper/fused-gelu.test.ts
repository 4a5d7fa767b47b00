/**
 * The encoder's exported GELUs replaced by onnxruntime's Gelu give the original's encoding bit for bit (generated
 * tiny model, both real models, with a shorter context too), and a chain that is not exactly that GELU (another
 * factor, an intermediate read elsewhere) is left alone.
 */
import { readFileSync } from 'node:fs';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { fuseGelu } from '../../../src-main/asr/whisper/encoder-graph/fused-gelu';
import { acceptShorterContext } from '../../../src-main/asr/whisper/encoder-graph/shorter-context';
import { readWhisperModelFiles } from '../../../src-main/asr/whisper/model-files';
import {
  decodeOnnxModel,
  encodeOnnxModel,
  ONNX_FLOAT,
  onnxNode,
  type OnnxModel,
  type OnnxTensor,
  type OnnxValueInfo,
} from '../../../src-main/onnx/onnx-model';
import { realWhisperModels, TINY_MULTILINGUAL } from '../../support/paths';
import { expectSameEncoding, floatInfo, GRAPH_TEST_OPTIONS, handMadeModel, seeded } from './graph-support';

const count = (model: OnnxModel, op: string): number => model.graph.node.filter((node) => node.op_type === op).length;

function scalar(name: string, value: number): OnnxTensor {
  return { name, data_type: ONNX_FLOAT, dims: [], raw_data: new Uint8Array(Float32Array.of(value).buffer) };
}

/** y = x · (1 + erf(x · factor)) · 0.5 over a [2, 300] input; `tap` also outputs erf's result. */
function geluGraph(factor: number, tap = false): OnnxModel {
  const info = (name: string): OnnxValueInfo => floatInfo(name, [2, 300]);
  return handMadeModel({
    name: 'gelu',
    node: [
      onnxNode('Mul', ['x', 'factor'], ['scaled']),
      onnxNode('Erf', ['scaled'], ['erf']),
      onnxNode('Add', ['erf', 'one'], ['plus_one']),
      onnxNode('Mul', ['x', 'plus_one'], ['times']),
      onnxNode('Mul', ['times', 'half'], ['y']),
    ],
    initializer: [scalar('factor', factor), scalar('one', 1), scalar('half', 0.5)],
    input: [info('x')],
    output: [info('y'), ...(tap ? [info('erf')] : [])],
  });
}

describe('GELU fused into one operator', () => {
  it('replaces the exported chain and computes the same values bit for bit (hand-made graph)', async () => {
    const fused = geluGraph(Math.fround(Math.SQRT1_2));
    expect(fuseGelu(fused)).toBe(true);
    expect(fused.graph.node.map((node) => node.op_type)).toEqual(['Gelu']);
    const [before, after] = await Promise.all([
      InferenceSession.create(encodeOnnxModel(geluGraph(Math.fround(Math.SQRT1_2))), GRAPH_TEST_OPTIONS),
      InferenceSession.create(encodeOnnxModel(fused), GRAPH_TEST_OPTIONS),
    ]);
    try {
      // Wide values: erf's tails, zero, and negative inputs.
      const x = seeded(600, 5).map((value) => value * 12);
      const feeds = { x: new Tensor('float32', x, [2, 300]) };
      const expected = (await before.run(feeds)).y as Tensor;
      const actual = (await after.run(feeds)).y as Tensor;
      expect(Buffer.from(actual.data as Float32Array).equals(Buffer.from(expected.data as Float32Array))).toBe(true);
    } finally {
      await Promise.all([before.release(), after.release()]);
    }
  });

  it('leaves another factor, or an intermediate read elsewhere, alone', () => {
    const otherFactor = geluGraph(0.7071068);
    expect(fuseGelu(otherFactor)).toBe(false);
    expect(count(otherFactor, 'Erf')).toBe(1);
    const tapped = geluGraph(Math.fround(Math.SQRT1_2), true);
    const readElsewhere = tapped.graph.node.find((node) => node.op_type === 'Erf');
    tapped.graph.node.push(onnxNode('Identity', [readElsewhere?.output[0] ?? ''], ['erf_copy']));
    expect(fuseGelu(tapped)).toBe(false);
    expect(count(tapped, 'Gelu')).toBe(0);
    // Read by name from inside an If's branch.
    const nested = geluGraph(Math.fround(Math.SQRT1_2));
    const branch = { name: 'branch', node: [onnxNode('Identity', ['plus_one'], ['branch_out'])], initializer: [], input: [], output: [] };
    nested.graph.node.push({ ...onnxNode('If', ['condition'], ['chosen']), attribute: [{ name: 'then_branch', g: branch }] });
    expect(fuseGelu(nested)).toBe(false);
  });

  it('gives the same encoding bit for bit, full and shorter context (generated tiny model)', async () => {
    const files = await readWhisperModelFiles(TINY_MULTILINGUAL, 'q8');
    const { num_mel_bins: mels, max_source_positions: positions } = files.architecture;
    const bytes = readFileSync(files.encoderPath);
    const erfs = count(decodeOnnxModel(bytes), 'Erf');
    expect(erfs).toBeGreaterThan(0);
    const fused = decodeOnnxModel(bytes);
    expect(fuseGelu(fused)).toBe(true);
    expect([count(fused, 'Gelu'), count(fused, 'Erf')]).toEqual([erfs, 0]);
    await expectSameEncoding(decodeOnnxModel(bytes), fused, mels, 2 * positions);

    const fitted = decodeOnnxModel(bytes);
    const fittedFused = decodeOnnxModel(bytes);
    expect(acceptShorterContext(fitted, positions) && acceptShorterContext(fittedFused, positions) && fuseGelu(fittedFused)).toBe(true);
    await expectSameEncoding(fitted, fittedFused, mels, 600);
  }, 120_000);

  for (const { modelId, dir } of realWhisperModels()) {
    it(`gives the same encoding bit for bit on 3000 frames (real ${modelId})`, async () => {
      const files = await readWhisperModelFiles(dir, 'q8');
      const bytes = readFileSync(files.encoderPath);
      const fused = decodeOnnxModel(bytes);
      const erfs = count(fused, 'Erf');
      expect(fuseGelu(fused)).toBe(true);
      expect([count(fused, 'Gelu'), count(fused, 'Erf')]).toEqual([erfs, 0]);
      await expectSameEncoding(decodeOnnxModel(bytes), fused, files.architecture.num_mel_bins, 2 * files.architecture.max_source_positions);
    }, 120_000);
  }
});
