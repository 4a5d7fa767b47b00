import { ensureTinyDiarizationModels, ensureTinyModels } from './generate-models';

export default function setup(): void {
  ensureTinyModels();
  ensureTinyDiarizationModels();
}
