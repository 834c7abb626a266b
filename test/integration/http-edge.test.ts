import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Webhooks } from '@octokit/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, TEST_SECRETS, type TestBot } from '../helpers/start-test-bot.js';

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
