import type { IncomingMessage, ServerResponse } from 'node:http';

const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events: each change tells open pages to fetch their regions again. Bursts (a card update,
 * its thread note, an ephemeral) collapse into one event.
 */
export class LiveUpdates {
  private readonly clients = new Set<ServerResponse>();
  private pending: NodeJS.Timeout | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  private sequence = 0;

  constructor(private readonly debounceMs = 25) {
    this.heartbeat = setInterval(() => this.write(': ping\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  attach(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(`retry: 1000\nevent: change\ndata: ${this.sequence}\n\n`);
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  }

  notify(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.sequence += 1;
      this.write(`event: change\ndata: ${this.sequence}\n\n`);
    }, this.debounceMs);
  }

  private write(chunk: string): void {
    for (const client of this.clients) client.write(chunk);
  }

  close(): void {
    clearInterval(this.heartbeat);
    if (this.pending) clearTimeout(this.pending);
    for (const client of this.clients) client.end();
    this.clients.clear();
  }
}
