import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** A sync request as it reached Argo CD's side (before any added delay). */
interface SyncArrival {
  app: string;
  /** performance.now() in the bench process. */
  at: number;
}

export interface DelayProxy {
  readonly url: string;
  /** Requests seen so far (any path); the bench waits for this to stop moving before it measures. */
  readonly requestCount: number;
  /** Requests received and not yet answered (held syncs included). */
  readonly inFlight: number;
  readonly syncArrivals: readonly SyncArrival[];
  /** Holds every POST …/sync this long before passing it on; other requests pass at once. */
  setSyncDelay(ms: number): void;
  close(): Promise<void>;
}

const SYNC_PATH = /^\/api\/v1\/applications\/([^/?]+)\/sync(?:\?|$)/;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The fake Argo CD's `failNext({ delayMs })` always answers with an injected error, so a slow but
 * successful sync needs this: a pass-through proxy that delays only the sync call and timestamps it.
 */
export async function startDelayProxy(upstreamUrl: string): Promise<DelayProxy> {
  const upstream = new URL(upstreamUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  let syncDelayMs = 0;
  let requestCount = 0;
  let inFlight = 0;
  const syncArrivals: SyncArrival[] = [];

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const outgoing = request(
      {
        agent,
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host, 'content-length': String(body.length) },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    outgoing.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    outgoing.end(body);
  };

  const server = createServer((req, res) => {
    requestCount++;
    inFlight++;
    res.once('close', () => {
      inFlight--;
    });
    const arrivedAt = performance.now();
    const sync = req.method === 'POST' ? SYNC_PATH.exec(req.url ?? '') : null;
    if (sync) syncArrivals.push({ app: decodeURIComponent(sync[1]!), at: arrivedAt });
    const delay = sync ? syncDelayMs : 0;
    readBody(req)
      .then(async (body) => {
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        forward(req, res, body);
      })
      .catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requestCount() {
      return requestCount;
    },
    get inFlight() {
      return inFlight;
    },
    syncArrivals,
    setSyncDelay(ms) {
      syncDelayMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
