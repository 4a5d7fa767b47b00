import { ensureTinyModels } from './generate-models';

export default function setup(): void {
  ensureTinyModels();
}
