/** "SPEAKER_00", "SPEAKER_01", … as pyannote and the RTTM files it writes name them. */
export function speakerLabel(index: number): string {
  return `SPEAKER_${String(index).padStart(2, '0')}`;
}
