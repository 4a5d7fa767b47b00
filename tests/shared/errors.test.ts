import { describe, expect, it } from 'vitest';
import type { AsrErrorCode } from '../../src-main/asr/types';
import type { DecodeErrorCode, ProbeErrorCode } from '../../src-main/audio/types';
import type { DerErrorCode } from '../../src-main/diarization/der';
import type { DiarizeErrorCode } from '../../src-main/diarization/diarize-audio';
import type { DiarizationModelErrorCode } from '../../src-main/diarization/onnx-session';
import type { RttmErrorCode } from '../../src-main/diarization/rttm';
import type { TranscriptJsonErrorCode } from '../../src-main/export/json';
import type { WriteFileErrorCode } from '../../src-main/export/write-file';
import type { MigrationErrorCode } from '../../src-main/library/migrations';
import type { DownloadErrorCode } from '../../src-main/models/downloader';
import type { CaptureErrorCode } from '../../src-main/record/capture/capture-errors';
import type { WavWriterErrorCode } from '../../src-main/record/disk/crash-safe-wav-writer';
import type { SidecarReadCode } from '../../src-main/record/disk/recording-sidecar';
import type { RecoveryErrorCode } from '../../src-main/record/disk/recover';
import type { WavParseCode } from '../../src-main/record/disk/wav-format';
import type { VadErrorCode } from '../../src-main/vad/silero-vad';
import { ERROR_CODES, errorMessage, isCancelled, isErrorCode, readStoredError, type ErrorCode } from '../../src-shared/errors';
import type { JobErrorCode } from '../../src-shared/jobs';
import type { LibraryErrorCode } from '../../src-shared/library';

type IsPartOf<Narrow, Vocabulary> = [Narrow] extends [Vocabulary] ? true : false;

// Each module's own union is part of the one vocabulary: a code added to a module but not to ERROR_CODES
// turns its entry to `false`, and this file no longer type-checks.
const moduleUnionsInTheVocabulary: Record<string, true> = {
  probe: true satisfies IsPartOf<ProbeErrorCode, ErrorCode>,
  decode: true satisfies IsPartOf<DecodeErrorCode, ErrorCode>,
  asr: true satisfies IsPartOf<AsrErrorCode, ErrorCode>,
  vad: true satisfies IsPartOf<VadErrorCode, ErrorCode>,
  diarizationModel: true satisfies IsPartOf<DiarizationModelErrorCode, ErrorCode>,
  diarize: true satisfies IsPartOf<DiarizeErrorCode, ErrorCode>,
  rttm: true satisfies IsPartOf<RttmErrorCode, ErrorCode>,
  der: true satisfies IsPartOf<DerErrorCode, ErrorCode>,
  download: true satisfies IsPartOf<DownloadErrorCode, ErrorCode>,
  jobs: true satisfies IsPartOf<JobErrorCode, ErrorCode>,
  library: true satisfies IsPartOf<LibraryErrorCode, ErrorCode>,
  migration: true satisfies IsPartOf<MigrationErrorCode, ErrorCode>,
  writeFile: true satisfies IsPartOf<WriteFileErrorCode, ErrorCode>,
  transcriptJson: true satisfies IsPartOf<TranscriptJsonErrorCode, ErrorCode>,
  capture: true satisfies IsPartOf<CaptureErrorCode, ErrorCode>,
  wavWriter: true satisfies IsPartOf<WavWriterErrorCode, ErrorCode>,
  wavParse: true satisfies IsPartOf<WavParseCode, ErrorCode>,
  sidecar: true satisfies IsPartOf<SidecarReadCode, ErrorCode>,
  recovery: true satisfies IsPartOf<RecoveryErrorCode, ErrorCode>,
};

describe('the error vocabulary', () => {
  it('lists each code once, in one stage, in the engine’s spelling', () => {
    const all = Object.values(ERROR_CODES).flat();
    expect(new Set(all).size).toBe(all.length);
    for (const code of all) expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
    expect(Object.keys(moduleUnionsInTheVocabulary)).toHaveLength(19);
  });

  it('has one cancellation code, and none of the old spellings', () => {
    const all: readonly string[] = Object.values(ERROR_CODES).flat();
    expect(all.filter((code) => code.endsWith('CANCELLED') || code.includes('ABORT'))).toEqual(['CANCELLED']);
  });

  it('tells its codes from other strings', () => {
    expect(isErrorCode('FILE_NOT_FOUND')).toBe(true);
    expect(isErrorCode('JOB_CANCELLED')).toBe(false);
    expect(isErrorCode('file_not_found')).toBe(false);
    expect(isErrorCode(42)).toBe(false);
    expect(isErrorCode(undefined)).toBe(false);
  });
});

describe('isCancelled', () => {
  it('is true for CANCELLED only', () => {
    expect(isCancelled({ code: 'CANCELLED' })).toBe(true);
    expect(isCancelled({ code: 'ASR_FAILED' })).toBe(false);
    expect(isCancelled({ code: 'JOB_LEASE_LOST' })).toBe(false);
    expect(isCancelled(null)).toBe(false);
    expect(isCancelled(undefined)).toBe(false);
  });
});

describe('readStoredError', () => {
  it('reads the cancellation codes older versions stored as CANCELLED, keeping the message and subject', () => {
    for (const old of ['JOB_CANCELLED', 'ASR_CANCELLED', 'ABORTED', 'DOWNLOAD_CANCELLED']) {
      const read = readStoredError({ code: old, message: 'Importing /a.mp3 was cancelled.', subject: '/a.mp3' });
      expect(read).toEqual({ code: 'CANCELLED', message: 'Importing /a.mp3 was cancelled.', subject: '/a.mp3' });
      expect(isCancelled(read)).toBe(true);
    }
  });

  it('keeps a known code as it is, and reads an unknown one as UNKNOWN_ERROR with the old code in the message', () => {
    expect(readStoredError({ code: 'NOT_MEDIA', message: 'not media' })).toEqual({ code: 'NOT_MEDIA', message: 'not media' });
    expect(readStoredError({ code: 'SOMETHING_OLD', message: 'it broke', subject: 7 })).toEqual({
      code: 'UNKNOWN_ERROR',
      message: 'SOMETHING_OLD: it broke',
    });
  });

  it('gives null for anything that is not a coded error', () => {
    for (const value of [null, undefined, 'NOT_MEDIA', 3, [], {}, { code: 'NOT_MEDIA' }, { message: 'x' }, { code: 1, message: 'x' }]) {
      expect(readStoredError(value)).toBeNull();
    }
  });
});

describe('errorMessage', () => {
  it('gives an Error’s message, a string as it is, and anything else as text', () => {
    expect(errorMessage(new Error('disk full'))).toBe('disk full');
    expect(errorMessage(new RangeError('too far'))).toBe('too far');
    expect(errorMessage('plain text')).toBe('plain text');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
    expect(errorMessage(null)).toBe('null');
    expect(errorMessage({ toString: () => 'custom' })).toBe('custom');
  });

  it('never throws, even for values that cannot be turned into a string', () => {
    expect(errorMessage(Object.create(null))).toBe('[object Object]');
    expect(
      errorMessage({
        toString: () => {
          throw new Error('no');
        },
      }),
    ).toBe('[object Object]');
    expect(errorMessage(Symbol('s'))).toBe('Symbol(s)');
  });
});
