import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios, { type AxiosInstance } from 'axios';
import type { FakeArgoCd } from '../../../sandbox/fake-argocd/index.js';

/** An axios client configured as the bot's will be: bearer token, JSON bodies, every status returned. */
export function createClient(fake: FakeArgoCd, token = fake.token): AxiosInstance {
  return axios.create({
    baseURL: fake.url,
    headers: { Authorization: `Bearer ${token}` },
    validateStatus: () => true,
    timeout: 5000,
  });
}

export async function waitFor<T>(read: () => T | undefined | false, timeoutMs = 4000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface ReceivedNotification {
  headers: IncomingHttpHeaders;
  method: string;
  path: string;
  text: string;
  body: Record<string, unknown>;
  answered: number;
}

export interface Receiver {
  url: string;
  received: ReceivedNotification[];
  /** Status to answer for the next requests, one per request; afterwards 202. */
  answerNext(...statuses: number[]): void;
  close(): Promise<void>;
}

/** A stand-in for the bot's /argocd/events endpoint that records what arrives. */
export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedNotification[] = [];
  const queue: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const answered = queue.shift() ?? 202;
      received.push({
        headers: req.headers,
        method: req.method ?? '',
        path: req.url ?? '',
        text,
        body: JSON.parse(text) as Record<string, unknown>,
        answered,
      });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answerNext: (...statuses) => queue.push(...statuses),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Where `actual` differs from `expected` in keys or JSON types. Arrays: every element of `actual` is compared with
 * the first element of `expected`, so a history of another length still compares.
 */
export function shapeDifferences(actual: unknown, expected: unknown, where = '$'): string[] {
  const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  if (typeOf(actual) !== typeOf(expected))
    return [`${where}: ${typeOf(actual)} instead of ${typeOf(expected)}`];
  if (Array.isArray(actual) && Array.isArray(expected)) {
    if (expected.length === 0) return [];
    return actual.flatMap((item, i) => shapeDifferences(item, expected[0], `${where}[${i}]`));
  }
  if (typeOf(actual) !== 'object') return [];
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  const missing = Object.keys(e)
    .filter((k) => !(k in a))
    .map((k) => `${where}.${k}: missing`);
  const extra = Object.keys(a)
    .filter((k) => !(k in e))
    .map((k) => `${where}.${k}: not in the example`);
  const nested = Object.keys(e)
    .filter((k) => k in a)
    .flatMap((k) => shapeDifferences(a[k], e[k], `${where}.${k}`));
  return [...missing, ...extra, ...nested];
}
