/** Offers text as a file download, the browser's way of saving (it asks where, or uses the downloads folder). */
import type { RenderedExport } from '../../../src-shared/ipc-contract';

export function saveDownload(rendered: RenderedExport): void {
  const url = URL.createObjectURL(new Blob([rendered.content], { type: rendered.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = rendered.fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the blob after click() returns; a minute later the URL only pins memory.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
