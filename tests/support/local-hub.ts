import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HubFault {
  /** Answer this status to the next GET of the file. */
  status?: number;
  /** Close the connection after this many body bytes of the next GET. */
  dropAfterBytes?: number;
}

/**
 * A loopback stand-in for the Hugging Face hub's `resolve` endpoint: HEAD answers a redirect carrying
 * the LFS sha256 and size (as the hub does), GET serves bytes with Range support.
 */
export class LocalHub {
  readonly requests: string[] = [];
  private readonly faults = new Map<string, HubFault[]>();
  private server: Server | null = null;

  constructor(
    private readonly files: Map<string, Buffer>,
    private readonly advertisedSha = new Map<string, string>(),
  ) {}

  injectFault(path: string, fault: HubFault): void {
    this.faults.set(path, [...(this.faults.get(path) ?? []), fault]);
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const match = /^\/(.+?\/.+?)\/resolve\/[^/]+\/(.+)$/.exec(request.url ?? '');
      const path = match?.[2] ?? '';
      const body = this.files.get(path);
      this.requests.push(`${request.method} ${path} ${request.headers.range ?? ''}`.trim());
      if (!body) return void response.writeHead(404).end();
      if (request.method === 'HEAD') {
        const sha = this.advertisedSha.get(path) ?? createHash('sha256').update(body).digest('hex');
        return void response
          .writeHead(302, { location: request.url ?? '/', 'x-linked-etag': `"${sha}"`, 'x-linked-size': String(body.length) })
          .end();
      }
      const fault = this.faults.get(path)?.shift();
      if (fault?.status) return void response.writeHead(fault.status).end();
      const range = /bytes=(\d+)-/.exec(request.headers.range ?? '');
      const from = range ? Number(range[1]) : 0;
      const slice = body.subarray(from);
      response.writeHead(range ? 206 : 200, { 'content-length': String(slice.length) });
      if (fault?.dropAfterBytes !== undefined) {
        response.write(slice.subarray(0, fault.dropAfterBytes), () => response.destroy());
        return;
      }
      response.end(slice);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
