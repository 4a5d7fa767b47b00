import { describe, expect, it } from 'vitest';
import { LOCAL_SPEAKERS } from '../../src-main/diarization/powerset';
import { FRAMES_PER_WINDOW, DEFAULT_WINDOW_SAMPLES } from '../../src-main/diarization/segmentation-windows';
import { localSpeakerClips } from '../../src-main/diarization/speaker-clips';

function activity(rule: (frame: number, speaker: number) => boolean): Uint8Array {
  const values = new Uint8Array(FRAMES_PER_WINDOW * LOCAL_SPEAKERS);
  for (let frame = 0; frame < FRAMES_PER_WINDOW; frame += 1) {
    for (let speaker = 0; speaker < LOCAL_SPEAKERS; speaker += 1) values[frame * LOCAL_SPEAKERS + speaker] = rule(frame, speaker) ? 1 : 0;
  }
  return values;
}

const ramp = Float32Array.from({ length: DEFAULT_WINDOW_SAMPLES }, (_, index) => index);

describe('localSpeakerClips', () => {
  it('takes the audio of the frames where a speaker talks alone, contiguous and in order', () => {
    const clips = localSpeakerClips(ramp, activity((frame, speaker) => (speaker === 0 ? frame < 300 : speaker === 1 ? frame >= 250 : false)));
    expect(clips.map((clip) => clip.localSpeaker)).toEqual([0, 1]);
    const [first, second] = clips;
    expect(first!.clean).toBe(true);
    // 250 clean frames × 270 samples, starting near the start of the window.
    expect(first!.samples.length).toBeGreaterThan(249 * 270);
    expect(first!.samples.length).toBeLessThan(251 * 270);
    for (let i = 1; i < first!.samples.length; i += 1) expect(first!.samples[i]! - first!.samples[i - 1]!).toBe(1);
    // Speaker 1's clean audio starts after the overlap (frame 300).
    expect(second!.samples[0]).toBeGreaterThan(299 * 270);
  });

  it('falls back to overlapped frames when clean speech is too short, and skips speakers with too little', () => {
    const clips = localSpeakerClips(ramp, activity((frame, speaker) => (speaker === 0 ? frame < 400 : speaker === 1 ? frame < 30 : speaker === 2 && frame < 5)));
    const byLocal = new Map(clips.map((clip) => [clip.localSpeaker, clip]));
    expect(byLocal.get(0)!.clean).toBe(true);
    expect(byLocal.get(1)!.clean).toBe(false);
    expect(byLocal.get(1)!.samples.length).toBeGreaterThan(29 * 270);
    expect(byLocal.has(2)).toBe(false);
  });

  it('gives no clip for silence', () => {
    expect(localSpeakerClips(ramp, activity(() => false))).toEqual([]);
  });
});
