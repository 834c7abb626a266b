import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBareHttp } from '../harness/bare-http.js';
import { startDelayProxy } from '../harness/delay-proxy.js';
import { httpPost } from '../harness/http-post.js';

describe('startDelayProxy', () => {
  let upstream: Server;
  let upstreamUrl = '';
  const seen: string[] = [];
  beforeAll(async () => {
    upstream = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      req.resume();
      req.on('end', () => res.end('{"ok":true}'));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

  it('holds only sync requests, timestamps them on arrival, and passes everything through', async () => {
    const proxy = await startDelayProxy(upstreamUrl);
    try {
      proxy.setSyncDelay(300);
      const started = performance.now();
      const sync = httpPost(`${proxy.url}/api/v1/applications/web-prod/sync`, {}, '{"revision":"abc"}');
      const other = await httpPost(`${proxy.url}/api/v1/applications/web-prod/refresh`, {}, '{}');
      const otherMs = performance.now() - started;
      expect(other).toBe(200);
      expect(otherMs).toBeLessThan(250);
      expect(proxy.inFlight).toBe(1);
      expect(await sync).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
      expect(proxy.syncArrivals.map((a) => a.app)).toEqual(['web-prod']);
      expect(proxy.syncArrivals[0]!.at - started).toBeLessThan(250);
      expect(proxy.requestCount).toBe(2);
      expect(seen).toContain('POST /api/v1/applications/web-prod/sync');
    } finally {
      await proxy.close();
    }
  });
});

describe('startBareHttp (the ingest baseline)', () => {
  it('answers 202 only to the right Bearer token or HMAC', async () => {
    const bare = await startBareHttp({
      mode: 'bare-http',
      argocdSecret: 'argo-secret',
      githubSecret: 'gh-secret',
      slackApiUrl: 'http://127.0.0.1:9/api/',
      slackToken: 'xoxb-x',
      slackChannel: 'C1',
    });
    const url = `http://127.0.0.1:${bare.port}`;
    try {
      expect(await httpPost(`${url}/argocd/events`, { authorization: 'Bearer argo-secret' }, '{}')).toBe(202);
      expect(await httpPost(`${url}/argocd/events`, { authorization: 'Bearer wrong' }, '{}')).toBe(401);
      const body = '{"zen":"hi"}';
      const good = `sha256=${createHmac('sha256', 'gh-secret').update(body).digest('hex')}`;
      expect(await httpPost(`${url}/github/events`, { 'x-hub-signature-256': good }, body)).toBe(202);
      expect(await httpPost(`${url}/github/events`, { 'x-hub-signature-256': good }, `${body} `)).toBe(401);
    } finally {
      await bare.close();
    }
  });
});
