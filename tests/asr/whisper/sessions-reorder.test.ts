/** Beam reordering of the self-attention cache in place gives what a fresh copy gives. */
import { describe, expect, it } from 'vitest';
import { readWhisperModelFiles } from '../../../src-main/asr/whisper/model-files';
import { WhisperSessions, type SelfAttentionCache } from '../../../src-main/asr/whisper/sessions';
import { TINY_MULTILINGUAL } from '../../support/paths';

function filled(batch: number, length: number, rowSize: number, layers: number): SelfAttentionCache {
  const tensors = Array.from({ length: layers }, (_, layer) =>
    Float32Array.from({ length: batch * rowSize }, (_, at) => layer * 1000 + Math.floor(at / rowSize) + (at % rowSize) / rowSize),
  );
  return { batch, length, tensors, shared: null };
}

describe('self-attention cache rows', () => {
  it('reorders in place as selectRows copies: swaps, duplicates, cycles and no change', async () => {
    const files = await readWhisperModelFiles(TINY_MULTILINGUAL, 'q8');
    const sessions = await WhisperSessions.load(files.encoderPath, files.decoderPath, files.architecture, { execution: 'cpu', threads: 1 });
    try {
      const length = 3;
      const rowSize =
        files.architecture.decoder_attention_heads * length * (files.architecture.d_model / files.architecture.decoder_attention_heads);
      for (const rows of [
        [0, 1, 2, 3, 4],
        [1, 0, 2, 3, 4],
        [0, 0, 0, 1, 1],
        [4, 4, 3, 0, 2],
        [1, 2, 3, 4, 0],
        [2, 2, 2, 2, 2],
      ]) {
        const expected = sessions.selectRows(filled(5, length, rowSize, 4), rows);
        const cache = filled(5, length, rowSize, 4);
        const reordered = sessions.reorderRowsInPlace(cache, rows);
        expect(reordered.tensors.map((tensor) => Array.from(tensor))).toEqual(expected.tensors.map((tensor) => Array.from(tensor)));
        expect(reordered.tensors[0]).toBe(cache.tensors[0]);
      }
      // A change of batch (one row expanded to five) cannot be done in place: a new cache.
      const single = filled(1, length, rowSize, 2);
      expect(sessions.reorderRowsInPlace(single, [0, 0, 0, 0, 0]).batch).toBe(5);
    } finally {
      await sessions.release();
    }
  });
});
