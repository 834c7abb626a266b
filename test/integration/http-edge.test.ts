import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Webhooks } from '@octokit/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSY_RETRY_AFTER_SECONDS } from '../../src/http/body-budget.js';
import { createHttpServer, HTTP_TIMEOUTS } from '../../src/http/create-http-server.js';
import type { HttpMetrics } from '../../src/http/http-metrics.js';
import { MAX_BODY_BYTES } from '../../src/http/read-body.js';
import { GITHUB_BODY_LIMIT, GITHUB_UNVERIFIED_BUDGET } from '../../src/inbound/github-events.js';
import { SLACK_BODY_DEADLINE_MS, SLACK_UNVERIFIED_BUDGET } from '../../src/inbound/slack-events.js';
import { createLogger } from '../../src/logging/create-logger.js';
import { startTestBot, TEST_SECRETS, type TestBot } from '../helpers/start-test-bot.js';
import { openRaw, postHead, type RawAnswer, type RawConnection } from './support/raw-connection.js';

const examples = JSON.parse(
  readFileSync('node_modules/@octokit/webhooks-examples/api.github.com/index.json', 'utf8'),
) as { name: string; examples: Record<string, unknown>[] }[];
const example = (name: string, pick: (e: Record<string, unknown>) => boolean = () => true) =>
  examples.find((e) => e.name === name)!.examples.find(pick)!;

const argoBody = JSON.stringify({
  event: 'on-out-of-sync',
  app: 'event-ingestion-prod',
  appNamespace: 'argocd',
  project: 'gamemetrics',
  syncStatus: 'OutOfSync',
  healthStatus: 'Healthy',
  revision: 'a'.repeat(40),
  operationPhase: '',
  deliveredAt: '2026-11-26T04:00:00Z',
});

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(async () => {
  await bot.stop();
});

const postArgo = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${bot.url}/argocd/events`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${TEST_SECRETS.ARGOCD_WEBHOOK_SECRET}`,
      ...headers,
    },
  });

describe('POST /argocd/events', () => {
  it('accepts a valid notification with 202, then treats the same one as a duplicate', async () => {
    const body = argoBody.replace('a'.repeat(40), 'b'.repeat(40));
    const first = await postArgo(body);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ status: 'accepted' });
    const again = await postArgo(body);
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ status: 'duplicate' });
  });

  it.each([
    ['missing', undefined],
    ['wrong', 'Bearer not-the-secret'],
    ['truncated', `Bearer ${TEST_SECRETS.ARGOCD_WEBHOOK_SECRET.slice(0, -1)}`],
    ['not bearer', `Basic ${TEST_SECRETS.ARGOCD_WEBHOOK_SECRET}`],
  ])('answers 401 to a %s secret', async (_case, authorization) => {
    const response = await fetch(`${bot.url}/argocd/events`, {
      method: 'POST',
      body: argoBody,
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    });
    expect(response.status).toBe(401);
  });

  it('answers 400 with the issue path for an invalid body', async () => {
    const response = await postArgo(JSON.stringify({ event: 'on-out-of-sync', app: 'Not A Valid Name!' }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ path: 'app' });
    expect((await postArgo('{not json')).status).toBe(400);
    expect((await postArgo('[]')).status).toBe(400);
  });

  it('answers 413 to a body over 1 MiB', async () => {
    const response = await postArgo(JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) }));
    expect(response.status).toBe(413);
  });

  it('accepts and ignores an unknown event', async () => {
    const response = await postArgo(argoBody.replace('on-out-of-sync', 'on-created'));
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ status: 'ignored' });
  });

  it('parses every example notification body in the contracts folder', async () => {
    const dir = 'test/contracts/argocd/notifications';
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(dir).filter((f) => f.startsWith('example-') && f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) {
      const response = await postArgo(readFileSync(`${dir}/${file}`, 'utf8'));
      expect(response.status, file).toBe(202);
    }
  });
});

describe('POST /github/events', () => {
  const webhooks = new Webhooks({ secret: TEST_SECRETS.GITHUB_WEBHOOK_SECRET });
  const send = async (name: string, payload: unknown, id: string, signature?: string) => {
    const body = JSON.stringify(payload);
    return fetch(`${bot.url}/github/events`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': name,
        'x-github-delivery': id,
        'x-hub-signature-256': signature ?? (await webhooks.sign(body)),
      },
    });
  };

  it.each([
    ['workflow_run', (e: Record<string, unknown>) => e.action === 'completed'],
    ['check_suite', (e: Record<string, unknown>) => e.action === 'completed'],
    ['check_run', (e: Record<string, unknown>) => e.action === 'completed'],
    ['status', () => true],
    ['push', () => true],
    ['pull_request', (e: Record<string, unknown>) => e.action === 'closed'],
    ['deployment_status', () => true],
  ])('accepts a real signed %s payload from @octokit/webhooks-examples', async (name, pick) => {
    const response = await send(name, example(name, pick), `delivery-${name}-${Math.random()}`);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: 'accepted' });
  });

  it('ignores a repeated X-GitHub-Delivery', async () => {
    const payload = example('status');
    expect((await send('status', payload, 'same-delivery')).status).toBe(202);
    const again = await send('status', payload, 'same-delivery');
    expect(await again.json()).toEqual({ status: 'duplicate' });
  });

  it('answers 401 to a bad or missing signature, and to a body changed after signing', async () => {
    const payload = example('status');
    expect((await send('status', payload, 'd1', `sha256=${'0'.repeat(64)}`)).status).toBe(401);
    expect((await send('status', payload, 'd2', 'sha1=abc')).status).toBe(401);
    const signature = await webhooks.sign(JSON.stringify(payload));
    const changed = await fetch(`${bot.url}/github/events`, {
      method: 'POST',
      body: JSON.stringify({ ...payload, state: 'success!' }),
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'status',
        'x-github-delivery': 'd3',
        'x-hub-signature-256': signature,
      },
    });
    expect(changed.status).toBe(401);
  });

  it('answers 202 and ignores events it does not use', async () => {
    const response = await send('issues', example('issues'), 'd4');
    expect(await response.json()).toMatchObject({ status: 'ignored' });
  });

  it('answers 400 when a used field is malformed', async () => {
    const response = await send('status', { ...example('status'), sha: 'not-a-sha' }, 'd5');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ path: 'sha' });
  });
});

describe('health, readiness and metrics', () => {
  it('serves /healthz and /readyz', async () => {
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${bot.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, store: 'redis' });
  });

  it('counts requests per route and outcome in /metrics', async () => {
    await postArgo(argoBody, { authorization: 'Bearer wrong' });
    const text = await (await fetch(`${bot.url}/metrics`)).text();
    expect(text).toMatch(
      /deploybot_http_requests_total\{route="argocd_events",outcome="unauthorized",status="401"\} \d+/,
    );
    expect(text).toContain('deploybot_http_request_duration_seconds_bucket');
    expect(text).toContain('deploybot_process_cpu_user_seconds_total');
  });

  it('answers 404 for unknown paths and 405 for wrong methods', async () => {
    expect((await fetch(`${bot.url}/nope`)).status).toBe(404);
    expect((await fetch(`${bot.url}/argocd/events`)).status).toBe(405);
  });
});

describe('POST /slack/events', () => {
  const sign = (body: string, ts: number) =>
    `v0=${createHmac('sha256', TEST_SECRETS.SLACK_SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  const post = (body: string, ts: number, signature = sign(body, ts)) =>
    fetch(`${bot.url}/slack/events`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': signature,
      },
    });
  const now = () => Math.floor(Date.now() / 1000);

  it('answers Slack ssl_check with 200 after verifying', async () => {
    expect((await post('ssl_check=1&token=x', now())).status).toBe(200);
  });

  it.each([
    ['a wrong signature', (b: string, ts: number) => post(b, ts, `v0=${'1'.repeat(64)}`)],
    ['a stale timestamp', (b: string) => post(b, now() - 301)],
    ['a timestamp from the future', (b: string) => post(b, now() + 301)],
    ['a truncated signature', (b: string, ts: number) => post(b, ts, sign(b, ts).slice(0, -2))],
  ])('refuses %s with 401', async (_name, send) => {
    const response = await send(`ssl_check=1&n=${Math.random()}`, now());
    expect(response.status).toBe(401);
  });
});

// Item 5 of the security review (issue 12): bodies used to be buffered before any check, so slow
// unsigned uploads held memory (40 of them: RSS 156 → 351 MiB of a 384 Mi limit). Real sockets
// (node:net) below, since fetch finishes and retries bodies on its own.
const nowSeconds = () => Math.floor(Date.now() / 1000);
const FORGED_GITHUB_SIGNATURE = `sha256=${'0'.repeat(64)}`;
/** Well-formed Slack headers (fresh timestamp, v0= plus 64 hex) that no body will match. */
const forgedSlackHeaders = () => ({
  'x-slack-request-timestamp': nowSeconds(),
  'x-slack-signature': `v0=${'0'.repeat(64)}`,
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The answer if it comes within `ms`, else undefined (the server is still reading the body). */
const answerWithin = (c: RawConnection, ms: number): Promise<RawAnswer | undefined> =>
  Promise.race([c.answer, sleep(ms).then(() => undefined)]);

describe('no request body is read before its credentials are checked', () => {
  const unauthenticated: [string, string, Record<string, string | number>][] = [
    ['/argocd/events', 'no Authorization', {}],
    ['/argocd/events', 'a wrong Bearer secret', { authorization: 'Bearer not-the-secret' }],
    ['/github/events', 'no X-Hub-Signature-256', {}],
    ['/github/events', 'a malformed X-Hub-Signature-256', { 'x-hub-signature-256': 'sha256=abc' }],
    ['/slack/events', 'no X-Slack-Signature', { 'x-slack-request-timestamp': nowSeconds() }],
    ['/slack/events', 'no X-Slack-Request-Timestamp', { 'x-slack-signature': `v0=${'0'.repeat(64)}` }],
    [
      '/slack/events',
      'a timestamp outside the 5-minute window',
      { ...forgedSlackHeaders(), 'x-slack-request-timestamp': nowSeconds() - 301 },
    ],
  ];

  it.each(unauthenticated)(
    '%s with %s and a body arriving a byte every 50 ms: 401 within 1 s, then the connection is closed',
    async (path, _case, headers) => {
      const c = await openRaw(bot.port);
      c.write(
        postHead(path, {
          'content-type': 'application/json',
          'x-github-event': 'push',
          'x-github-delivery': `slow-${Math.random()}`,
          'content-length': 512 * 1024,
          ...headers,
        }),
      );
      c.write('{"pad":"');
      c.dribble('x', 50);
      const answer = await c.answer;
      expect(answer.status).toBe(401);
      expect(answer.afterMs).toBeLessThan(1000);
      // The existing answers stay as they were: JSON { error } for Argo CD and GitHub, empty for Slack.
      if (path !== '/slack/events') expect(JSON.parse(answer.body)).toEqual({ error: expect.any(String) });
      expect(answer.headers.connection).toBe('close');
      // Closed, not left half-read: the server ends its side right after the answer.
      expect((await c.ended).afterMs).toBeLessThan(1000);
      c.destroy();
    },
  );

  const oversize: [string, number, () => Record<string, string | number>][] = [
    [
      '/argocd/events',
      MAX_BODY_BYTES,
      () => ({ authorization: `Bearer ${TEST_SECRETS.ARGOCD_WEBHOOK_SECRET}` }),
    ],
    ['/github/events', GITHUB_BODY_LIMIT, () => ({ 'x-hub-signature-256': FORGED_GITHUB_SIGNATURE })],
    ['/slack/events', MAX_BODY_BYTES, forgedSlackHeaders],
  ];

  it.each(oversize)(
    '%s: a Content-Length over %d gets 413 from the headers alone, and the connection is closed',
    async (path, limit, headers) => {
      const c = await openRaw(bot.port);
      // Not one byte of the body is ever sent: the answer cannot have waited for it.
      c.write(
        postHead(path, { 'content-type': 'application/json', 'content-length': limit + 1, ...headers() }),
      );
      const answer = await c.answer;
      expect(answer.status).toBe(413);
      expect(answer.afterMs).toBeLessThan(1000);
      expect(JSON.parse(answer.body)).toEqual({ error: `request body is larger than ${limit} bytes` });
      expect(answer.headers.connection).toBe('close');
      expect((await c.ended).afterMs).toBeLessThan(1000);
      c.destroy();
    },
  );

  it('a client still uploading when it is refused reads the whole answer (no reset before it)', async () => {
    const c = await openRaw(bot.port, { halfOpen: true });
    c.write(postHead('/github/events', { 'content-length': GITHUB_BODY_LIMIT }));
    // 4 MiB in one go: far more than the socket buffers, so the upload is still going when the 401 comes.
    c.write(Buffer.alloc(4 * 1024 * 1024, 'a'));
    const answer = await c.answer;
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ error: expect.stringContaining('X-Hub-Signature-256') });
    // What it goes on sending is dropped for a short while (so no reset cuts the answer off), then
    // the connection is closed: a refused upload does not hold a socket for as long as it likes.
    c.dribble('a', 20);
    const { afterMs } = await c.closed;
    expect(afterMs).toBeGreaterThanOrEqual(HTTP_TIMEOUTS.lingerMs - 100);
    expect(afterMs).toBeLessThan(HTTP_TIMEOUTS.lingerMs + 1000);
  });

  it('Expect: 100-continue: a refusal comes without 100 Continue; an accepted request gets it, then 202', async () => {
    const refused = await openRaw(bot.port);
    refused.write(
      postHead('/argocd/events', {
        authorization: 'Bearer nope',
        'content-length': 10,
        expect: '100-continue',
      }),
    );
    const refusal = await refused.answer;
    expect(refusal.status).toBe(401);
    expect(refusal.interim).toEqual([]);
    refused.destroy();

    const body = argoBody.replace('a'.repeat(40), 'c'.repeat(40));
    const accepted = await openRaw(bot.port);
    accepted.write(
      postHead('/argocd/events', {
        authorization: `Bearer ${TEST_SECRETS.ARGOCD_WEBHOOK_SECRET}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        expect: '100-continue',
      }),
    );
    expect(await answerWithin(accepted, 300)).toBeUndefined();
    accepted.write(body);
    const answer = await accepted.answer;
    expect(answer.interim).toEqual([100]);
    expect(answer.status).toBe(202);
    // A request read to its end keeps its connection.
    expect(answer.headers.connection).not.toBe('close');
    accepted.destroy();
  });
});

describe('bodies whose signature is not yet checked share a budget per route', () => {
  const webhooks = new Webhooks({ secret: TEST_SECRETS.GITHUB_WEBHOOK_SECRET });
  const openUploads = async (count: number, head: () => string, firstBytes: number) => {
    const connections = await Promise.all(Array.from({ length: count }, () => openRaw(bot.port)));
    for (const c of connections) {
      c.write(head());
      c.write(Buffer.alloc(firstBytes, 'a'));
    }
    return connections;
  };
  const githubUpload = () =>
    postHead('/github/events', {
      'content-type': 'application/json',
      'x-github-event': 'status',
      'x-github-delivery': `forged-${Math.random()}`,
      'x-hub-signature-256': FORGED_GITHUB_SIGNATURE,
      'content-length': GITHUB_BODY_LIMIT,
    });

  it('40 forged 5 MiB GitHub uploads left unfinished: only what fits 16 MiB is read, the rest get 503 at once', async () => {
    const admitted = Math.floor(GITHUB_UNVERIFIED_BUDGET / GITHUB_BODY_LIMIT);
    expect(admitted).toBe(3);
    const uploads = await openUploads(40, githubUpload, 64 * 1024);
    const answers = await Promise.all(uploads.map((c) => answerWithin(c, 1000)));
    const refused = answers.filter((a): a is RawAnswer => a !== undefined);
    const reading = uploads.filter((_, i) => answers[i] === undefined);
    // At most 3 × 5 MiB buffered, where 40 × 5 MiB took the pod to its memory limit.
    expect(reading).toHaveLength(admitted);
    expect(refused).toHaveLength(40 - admitted);
    for (const answer of refused) {
      expect(answer.status).toBe(503);
      expect(answer.afterMs).toBeLessThan(1000);
      expect(answer.headers['retry-after']).toBe(String(BUSY_RETRY_AFTER_SECONDS));
      expect(answer.headers.connection).toBe('close');
      expect(JSON.parse(answer.body)).toEqual({ error: expect.any(String) });
    }
    for (const c of uploads) if (!reading.includes(c)) c.destroy();
    // The bodies being read finish: their HMAC is checked (401), and their share is returned.
    for (const c of reading) c.write(Buffer.alloc(GITHUB_BODY_LIMIT - 64 * 1024, 'a'));
    const finals = await Promise.all(reading.map((c) => c.answer));
    expect(finals.map((a) => a.status)).toEqual(Array(admitted).fill(401));
    for (const c of reading) c.destroy();
    const again = await openUploads(admitted, githubUpload, 1024);
    expect(await Promise.all(again.map((c) => answerWithin(c, 300)))).toEqual(
      Array(admitted).fill(undefined),
    );
    for (const c of again) c.destroy();
  });

  it('an upload abandoned midway returns its share; a real delivery then gets 202', async () => {
    const admitted = Math.floor(GITHUB_UNVERIFIED_BUDGET / GITHUB_BODY_LIMIT);
    const abandoned = await openUploads(admitted, githubUpload, 1024);
    expect((await answerWithin((await openUploads(1, githubUpload, 0))[0]!, 1000))?.status).toBe(503);
    for (const c of abandoned) c.destroy();
    await sleep(200);
    const payload = JSON.stringify(example('status'));
    const response = await fetch(`${bot.url}/github/events`, {
      method: 'POST',
      body: payload,
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'status',
        'x-github-delivery': `after-abandon-${Math.random()}`,
        'x-hub-signature-256': await webhooks.sign(payload),
      },
    });
    expect(response.status).toBe(202);
  });

  it('40 forged 1 MiB Slack uploads left unfinished: 8 are read, 32 get 503; at 3 s the 8 are dropped (408)', async () => {
    const admitted = Math.floor(SLACK_UNVERIFIED_BUDGET / MAX_BODY_BYTES);
    expect(admitted).toBe(8);
    const uploads = await openUploads(
      40,
      () =>
        postHead('/slack/events', {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': MAX_BODY_BYTES,
          ...forgedSlackHeaders(),
        }),
      16 * 1024,
    );
    const answers = await Promise.all(uploads.map((c) => answerWithin(c, 1000)));
    const reading = uploads.filter((_, i) => answers[i] === undefined);
    expect(reading).toHaveLength(admitted);
    expect(answers.filter((a) => a?.status === 503)).toHaveLength(40 - admitted);
    for (const c of uploads) if (!reading.includes(c)) c.destroy();
    // Slack waits 3 s for an answer, so a body still unfinished then is dropped, and its share returned:
    // holding the budget costs a forger a new connection every 3 s, not one per request timeout.
    const dropped = await Promise.all(reading.map((c) => c.answer));
    for (const answer of dropped) {
      expect(answer.status).toBe(408);
      expect(answer.afterMs).toBeGreaterThanOrEqual(SLACK_BODY_DEADLINE_MS - 100);
      expect(answer.afterMs).toBeLessThan(SLACK_BODY_DEADLINE_MS + 1000);
      expect(answer.headers.connection).toBe('close');
    }
    for (const c of reading) c.destroy();
    const ts = nowSeconds();
    const body = `ssl_check=1&n=${Math.random()}`;
    const signature = `v0=${createHmac('sha256', TEST_SECRETS.SLACK_SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
    const response = await fetch(`${bot.url}/slack/events`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': signature,
      },
    });
    expect(response.status).toBe(200);
  });
});

describe('slow clients are cut off (short timeouts injected for speed; production values last)', () => {
  const timeouts = { headersMs: 400, requestMs: 1200, keepAliveMs: 5000, lingerMs: 2000 };
  let quick: TestBot;
  beforeAll(async () => {
    quick = await startTestBot({ httpTimeouts: timeouts });
  });
  afterAll(async () => {
    await quick?.stop();
  });

  it('headers sent one line every 100 ms are cut off at the headers timeout (408, closed)', async () => {
    const c = await openRaw(quick.port);
    c.write('POST /slack/events HTTP/1.1\r\nhost: 127.0.0.1\r\n');
    c.dribble('x-slow: loris\r\n', 100);
    const closed = await c.closed;
    expect(closed.afterMs).toBeGreaterThanOrEqual(timeouts.headersMs - 50);
    expect(closed.afterMs).toBeLessThan(timeouts.headersMs + 500);
    expect((await c.answer).status).toBe(408);
  });

  it('a connection that never sends a byte is closed at the headers timeout', async () => {
    const c = await openRaw(quick.port);
    const closed = await c.closed;
    expect(closed.afterMs).toBeLessThan(timeouts.headersMs + 500);
  });

  it('a request whose body never finishes is closed at the request timeout, even with the right secret', async () => {
    const c = await openRaw(quick.port);
    c.write(
      postHead('/argocd/events', {
        authorization: `Bearer ${TEST_SECRETS.ARGOCD_WEBHOOK_SECRET}`,
        'content-type': 'application/json',
        'content-length': 10_000,
      }),
    );
    c.dribble(' ', 100);
    const closed = await c.closed;
    expect(closed.afterMs).toBeGreaterThanOrEqual(timeouts.requestMs - 50);
    expect(closed.afterMs).toBeLessThan(timeouts.requestMs + 500);
  });

  it('production defaults: headers within 10 s, the whole request within 30 s, checked every second', () => {
    expect(HTTP_TIMEOUTS).toMatchObject({ headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000 });
    const metrics: HttpMetrics = { registry: undefined as never, observe: () => {} };
    const { server } = createHttpServer({ routes: [], metrics, logger: createLogger({ level: 'silent' }) });
    expect(server.headersTimeout).toBe(10_000);
    expect(server.requestTimeout).toBe(30_000);
    expect(server.keepAliveTimeout).toBe(5_000);
    expect(
      (server as typeof server & { connectionsCheckingInterval: number }).connectionsCheckingInterval,
    ).toBe(1000);
    server.close();
  });
});
