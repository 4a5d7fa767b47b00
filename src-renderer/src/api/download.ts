/** Offers an export as a file download, the browser's way of saving (it asks where, or uses the downloads folder). */
import type { RenderedExport } from '../../../src-shared/ipc-contract';

function exportBytes(rendered: RenderedExport): BlobPart {
  if (rendered.encoding !== 'base64') return rendered.content;
  const binary = atob(rendered.content);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

export function saveDownload(rendered: RenderedExport): void {
  const url = URL.createObjectURL(new Blob([exportBytes(rendered)], { type: rendered.mimeType }));
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
