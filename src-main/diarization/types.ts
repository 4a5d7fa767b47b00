export type { SpeakerTurn } from '../../src-shared/transcript';
