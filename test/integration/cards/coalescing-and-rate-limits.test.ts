import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, PROJECT } from '../../../sandbox/world/seed.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { cardPosts, notificationFor, postNotification, sleep } from './card-helpers.js';

const CHANNEL = CHANNELS.prodDeploys.id;
const KAFKA = 'kafka-prod';
const INGESTION = 'event-ingestion-prod';

let env: WorldWithBot;
beforeAll(async () => {
  env = await startWorldWithBot();
});
afterAll(async () => {
  await env?.stop();
});

const cardOf = (app: string, sha: string) =>
  env.world.slack.channelMessages(CHANNEL).find((m) => m.text.startsWith(`${app} ${sha.slice(0, 7)}`));

describe('a burst of 100 changes under Slack rate limits', () => {
  it('ends in the right state with a bounded number of chat.update calls and thread notes', async () => {
    const sha = await env.world.pushCommit({ message: 'Kafka config that will flap' });
    const card = await eventually(() => {
      const m = cardOf(KAFKA, sha);
      return m?.text.includes('deployed by auto-sync') ? m : undefined;
    });
    await sleep(1200); // let the card's own updates settle
    env.world.argocd.pauseNotifications();
    const updatesBefore = env.world.slack.callsTo('chat.update').filter((c) => c.args.ts === card.ts).length;
    const repliesBefore = env.world.slack.thread(CHANNEL, card.ts).length;
    const getsBefore = env.world.argocd.requests.filter((r) => r.method === 'GET').length;
    const appGets = () =>
      env.world.argocd.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/${KAFKA}`)).length;
    const appGetsBefore = appGets();
    const burstStarted = Date.now();
    env.world.slack.rateLimit('chat.update', { calls: 3, retryAfterSec: 1 });

    const secret = env.world.env.ARGOCD_WEBHOOK_SECRET!;
    for (let i = 0; i < 100; i++) {
      const health = i % 2 === 0 ? 'Healthy' : 'Degraded';
      env.world.argocd.setHealth(KAFKA, health);
      const body = notificationFor(
        'on-health-degraded',
        { name: KAFKA, project: PROJECT, revision: sha },
        { healthStatus: health, application: { status: { operationState: { startedAt: `burst-${i}` } } } },
      );
      expect((await postNotification(env.bot.url, secret, body)).body.status).toBe('accepted');
    }
    const burstMs = Date.now() - burstStarted;
    // The last word: Degraded.
    const degraded = await eventually(
      () => {
        const m = cardOf(KAFKA, sha);
        return m?.text.includes('is degraded') ? m : undefined;
      },
      { timeoutMs: 10_000 },
    );
    await sleep(2500); // anything still coalescing or waiting for Retry-After lands now
    expect(cardOf(KAFKA, sha)?.text).toBe(degraded.text);

    const updates = env.world.slack
      .callsTo('chat.update')
      .filter((c) => c.args.ts === card.ts)
      .slice(updatesBefore);
    const limited = updates.filter((c) => c.status === 429);
    expect(limited).toHaveLength(3);
    expect(updates.length).toBeLessThanOrEqual(10);
    expect(updates.at(-1)?.response.ok).toBe(true);
    // A flapping app writes one "Health Degraded" note, not fifty.
    const notes = env.world.slack.thread(CHANNEL, card.ts).slice(repliesBefore);
    expect(notes.filter((m) => m.text.includes('Health Degraded')).length).toBeLessThanOrEqual(1);
    // Queued refreshes of one app are coalesced: far fewer reads than notifications.
    const gets = env.world.argocd.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/${KAFKA}`));
    console.info(
      `burst: 100 notifications → ${updates.length} chat.update (${limited.length} answered 429), ` +
        `${env.world.argocd.requests.filter((r) => r.method === 'GET').length - getsBefore} Argo CD GETs (${gets.length} of the app in all)`,
    );
    // One read at once, then at most one per 250 ms while notifications keep coming (and a trailing one).
    expect(appGets() - appGetsBefore).toBeLessThanOrEqual(Math.ceil(burstMs / 250) + 3);
    expect(appGets() - appGetsBefore).toBeLessThan(50);
    expect(cardPosts(env.world.slack, { channel: CHANNEL, app: KAFKA, sha })).toHaveLength(1);
    env.world.argocd.resumeNotifications();
  });
});

describe('chat.postMessage failing for a new card', () => {
  async function expectEachPostedOnce(sha: string) {
    for (const app of [INGESTION, KAFKA]) {
      await eventually(
        () => cardPosts(env.world.slack, { channel: CHANNEL, app, sha, ok: true }).length === 1,
        {
          timeoutMs: 10_000,
        },
      );
    }
    await sleep(1500);
    for (const app of [INGESTION, KAFKA]) {
      expect(cardPosts(env.world.slack, { channel: CHANNEL, app, sha, ok: true })).toHaveLength(1);
      expect(
        env.world.slack
          .channelMessages(CHANNEL)
          .filter((m) => m.text.startsWith(`${app} ${sha.slice(0, 7)}`)),
      ).toHaveLength(1);
    }
  }

  it('an internal_error on the first post: the card is retried and posted once, its thread notes land', async () => {
    env.world.slack.failNext('chat.postMessage', 'internal_error');
    const sha = await env.world.pushCommit({ message: 'Posted on the second try' });
    await expectEachPostedOnce(sha);
    const failed = env.world.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.response.error === 'internal_error');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.args.thread_ts).toBeUndefined();
    // The auto-sync card's "deployed" note needed the post: it waited for it instead of being dropped.
    const kafka = await eventually(() => {
      const m = cardOf(KAFKA, sha);
      return m?.text.includes('deployed by auto-sync') ? m : undefined;
    });
    await eventually(() =>
      env.world.slack.thread(CHANNEL, kafka.ts).some((m) => m.text.includes('deployed')),
    );
  });

  it('a 429 on the first post: retried after Retry-After, posted once', async () => {
    env.world.slack.rateLimit('chat.postMessage', { calls: 1, retryAfterSec: 1 });
    const sha = await env.world.pushCommit({ message: 'Posted after Retry-After' });
    await expectEachPostedOnce(sha);
    expect(env.world.slack.callsTo('chat.postMessage').filter((c) => c.status === 429)).toHaveLength(1);
  });
});
