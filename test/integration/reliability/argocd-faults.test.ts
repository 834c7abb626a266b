import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../../sandbox/fake-argocd/index.js';
import { PEOPLE } from '../../../sandbox/world/seed.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  APP_PATH,
  buttonValue,
  cardMessage,
  PROD_CHANNEL,
  type PostedCard,
  pushAndWaitForPendingCard,
  SYNC_PATH,
  settle,
  waitForCardText,
} from './support/cards.js';

const clickApprove = (env: WorldWithBot, ts: string) =>
  env.world.slack.clickButton({
    user: PEOPLE.alice.id,
    channel: PROD_CHANNEL,
    ts,
    actionId: 'deploy_approve_sync',
  });

const syncPosts = (env: WorldWithBot) =>
  env.world.argocd.requests.filter((r) => r.method === 'POST' && r.path === SYNC_PATH);
const appReads = (requests: readonly RecordedRequest[]) =>
  requests.filter((r) => r.method === 'GET' && r.path === APP_PATH);
const ms = (r: RecordedRequest) => Date.parse(r.at);

describe('Argo CD faults on reads: retried with backoff and jitter', () => {
  let env: WorldWithBot;
  beforeAll(async () => {
    env = await startWorldWithBot();
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('two 503s on reading the app: retried with growing, jittered waits, and the card still posts', async () => {
    const from = env.world.argocd.requests.length;
    env.world.argocd.failNext({ method: 'GET', pathPrefix: APP_PATH, status: 503, times: 2 });
    await pushAndWaitForPendingCard(env.world);
    const reads = appReads(env.world.argocd.requests.slice(from));
    expect(reads.slice(0, 3).map((r) => r.status)).toEqual([503, 503, 200]);
    const [a, b, c] = reads as [RecordedRequest, RecordedRequest, RecordedRequest];
    // Backoff base 200 ms with full jitter around it: 1st wait in [100, 300], 2nd in [200, 600] (+ slack).
    expect(ms(b) - ms(a)).toBeGreaterThanOrEqual(90);
    expect(ms(b) - ms(a)).toBeLessThan(450);
    expect(ms(c) - ms(b)).toBeGreaterThanOrEqual(190);
    expect(ms(c) - ms(b)).toBeLessThan(800);
  });

  it('a read that times out is retried and the card still posts', async () => {
    const from = env.world.argocd.requests.length;
    // The bot's Argo CD timeout is 3 s in the tests; this answer comes after 3.5 s.
    env.world.argocd.failNext({ method: 'GET', pathPrefix: APP_PATH, status: 200, delayMs: 3500 });
    await pushAndWaitForPendingCard(env.world, {}, { timeoutMs: 15_000 });
    const reads = appReads(env.world.argocd.requests.slice(from));
    expect(reads.length).toBeGreaterThanOrEqual(2);
    expect(reads[0]?.injectedFault).toBe(true);
  }, 30_000);

  it('slow Argo CD (1.5 s per call): the click is acknowledged within Slack’s 3 s and the deploy completes', async () => {
    const card = await pushAndWaitForPendingCard(env.world);
    await settle(env.bot);
    env.world.argocd.setLatency(1500);
    try {
      const started = Date.now();
      const click = await clickApprove(env, card.ts);
      expect(click.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(3000);
      await waitForCardText(env.world, card.ts, /was deployed/, 25_000);
    } finally {
      env.world.argocd.setLatency(0);
    }
    expect(syncPosts(env).filter((r) => (r.body as { revision?: string }).revision === card.sha)).toHaveLength(1);
  }, 40_000);
});

describe('Argo CD faults on the sync: never blindly retried', () => {
  let env: WorldWithBot;
  beforeAll(async () => {
    env = await startWorldWithBot();
  });
  afterAll(async () => {
    await env?.stop();
  });

  async function ambiguousSync(fault: Parameters<WorldWithBot['world']['argocd']['failNext']>[0]) {
    const card = await pushAndWaitForPendingCard(env.world);
    await settle(env.bot);
    const from = env.world.argocd.requests.length;
    env.world.argocd.failNext(fault);
    expect((await clickApprove(env, card.ts)).status).toBe(200);
    const failed = await waitForCardText(env.world, card.ts, /failed to sync/);
    await new Promise((r) => setTimeout(r, 1500));
    const after = env.world.argocd.requests.slice(from);
    const posts = after.filter((r) => r.method === 'POST' && r.path === SYNC_PATH);
    expect(posts, 'exactly one sync request').toHaveLength(1);
    const postIndex = after.indexOf(posts[0]!);
    // The bot looked at the app after the failed call, to learn whether the sync had started.
    expect(appReads(after.slice(postIndex + 1)).length).toBeGreaterThanOrEqual(1);
    // The card offers a deliberate Retry instead of retrying by itself.
    expect(buttonValue(failed, 'deploy_retry')).toBeDefined();
    return { card, failed };
  }

  it('the connection drops on the sync: one request, then a re-read; the card says nothing started', async () => {
    const { failed } = await ambiguousSync({ method: 'POST', pathPrefix: SYNC_PATH, dropConnection: true });
    expect(failed.text).toMatch(/unreachable|nothing/i);
  });

  it('a 502 on the sync: one request, then a re-read; no retry', async () => {
    await ambiguousSync({ method: 'POST', pathPrefix: SYNC_PATH, status: 502 });
  });

  it('a 403 on the sync: refused with the reason on the card, no retry', async () => {
    const card = await pushAndWaitForPendingCard(env.world);
    await settle(env.bot);
    const before = syncPosts(env).length;
    env.world.argocd.failNext({ method: 'POST', pathPrefix: SYNC_PATH, status: 403 });
    expect((await clickApprove(env, card.ts)).status).toBe(200);
    const failed = await waitForCardText(env.world, card.ts, /failed to sync/);
    expect(failed.text).toMatch(/permission|RBAC/i);
    await new Promise((r) => setTimeout(r, 1500));
    expect(syncPosts(env)).toHaveLength(before + 1);
  });

  it('the sync lands after the bot gave up waiting: no second sync, and the card ends deployed', async () => {
    const card: PostedCard = await pushAndWaitForPendingCard(env.world);
    await settle(env.bot);
    const before = syncPosts(env).length;
    const from = env.world.argocd.requests.length;
    // Slow down exactly the sync: its answer (and the sync itself) comes after the bot's 3 s timeout.
    // The pre-sync read is slowed a little so the latency can be raised while it is in flight.
    env.world.argocd.setLatency(1000);
    const click = clickApprove(env, card.ts);
    await eventually(() => appReads(env.world.argocd.requests.slice(from)).length > 0);
    env.world.argocd.setLatency(3300);
    await eventually(() => syncPosts(env).length === before + 1, { timeoutMs: 5000 });
    env.world.argocd.setLatency(0);
    expect((await click).status).toBe(200);
    await waitForCardText(env.world, card.ts, /was deployed/, 20_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(syncPosts(env)).toHaveLength(before + 1);
    expect(cardMessage(env.world, card.ts).text).toMatch(/was deployed/);
  }, 40_000);
});

describe('Argo CD rejects the token (expired)', () => {
  let env: WorldWithBot;
  beforeAll(async () => {
    env = await startWorldWithBot();
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('a clear card message and an error log; no retry storm', async () => {
    const card = await pushAndWaitForPendingCard(env.world);
    await settle(env.bot);
    // From now on every call is refused with 401, as when the token has expired.
    env.world.argocd.failNext({ status: 401, times: 100_000 });
    const from = env.world.argocd.requests.length;
    const logsFrom = env.bot.logs.length;
    expect((await clickApprove(env, card.ts)).status).toBe(200);
    const refused = await eventually(() => {
      const message = cardMessage(env.world, card.ts);
      return /ARGOCD_TOKEN/.test(JSON.stringify(message.blocks)) ? message : undefined;
    });
    expect(refused.text).toMatch(/token/i);
    const alice = env.world.slack.ephemerals({ user: PEOPLE.alice.id }).at(-1);
    expect(alice?.text).toMatch(/ARGOCD_TOKEN/);
    // Operators learn it from the logs too, not only from whoever clicked.
    const errors = () =>
      env.bot.logs
        .slice(logsFrom)
        .map((line) => JSON.parse(line) as { level: number; msg: string; err?: { message?: string } })
        .filter((l) => l.level >= 50)
        .map((e) => `${e.msg} ${e.err?.message ?? ''}`)
        .join('\n');
    await new Promise((r) => setTimeout(r, 1000));
    const errorsAfterClick = errors();

    // An Argo CD notification arrives meanwhile: the bot reads once, fails, and does not hammer.
    await env.world.argocd.sendNotification('on-health-degraded', 'event-ingestion-prod');
    await new Promise((r) => setTimeout(r, 3000));
    const calls = env.world.argocd.requests.slice(from);
    expect(calls.every((r) => r.status === 401)).toBe(true);
    // One read for the click, one for the notification; 401 is not retried.
    expect(calls.length).toBeLessThanOrEqual(4);
    expect(syncPosts(env)).toHaveLength(0);
    expect(errorsAfterClick, 'an error-level log line about the rejected token').toMatch(/token|401|unauth/i);
  }, 30_000);
});
