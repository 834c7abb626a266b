import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, PROJECT } from '../../../sandbox/world/seed.js';
import { startTestBot, type TestBot } from '../../helpers/start-test-bot.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { cardPosts, notificationFor, postNotification, sleep } from './card-helpers.js';

const APP = 'event-ingestion-prod';
const CHANNEL = CHANNELS.prodDeploys.id;
const prefix = `test:${randomUUID()}:`;

let env: WorldWithBot;
let second: TestBot;
let secret: string;
beforeAll(async () => {
  // Two replicas on one Redis prefix; Argo CD's own notifications go to the first.
  env = await startWorldWithBot({}, { prefix });
  second = await startTestBot({ prefix, policy: env.world.policyYaml, env: env.world.env, port: 0 });
  secret = env.world.env.ARGOCD_WEBHOOK_SECRET!;
});
afterAll(async () => {
  await second?.stop();
  await env?.stop();
});

const outOfSync = (sha: string, overrides: Record<string, unknown> = {}) =>
  notificationFor('on-out-of-sync', { name: APP, project: PROJECT, revision: sha }, overrides);

/** Settles, then counts the card posts for a revision: the storm must be over, not merely slow. */
async function expectOneCard(sha: string) {
  await eventually(
    () => cardPosts(env.world.slack, { channel: CHANNEL, app: APP, sha, ok: true }).length > 0,
  );
  await sleep(1500);
  await env.world.argocd.whenNotificationsIdle();
  expect(cardPosts(env.world.slack, { channel: CHANNEL, app: APP, sha })).toHaveLength(1);
}

describe('one card per (app, revision), whatever arrives how often', () => {
  it('the same notification 20× at once: one accepted, 19 duplicates, one card', async () => {
    env.world.argocd.pauseNotifications();
    const sha = await env.world.pushCommit({ message: 'Storm: same body twenty times' });
    const body = outOfSync(sha);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => postNotification(env.bot.url, secret, body)),
    );
    expect(answers.every((a) => a.status === 202)).toBe(true);
    expect(answers.filter((a) => a.body.status === 'accepted')).toHaveLength(1);
    expect(answers.filter((a) => a.body.status === 'duplicate')).toHaveLength(19);
    await expectOneCard(sha);
    env.world.argocd.resumeNotifications();
  });

  it('Argo CD sending every notification twice, then re-sending the last one three times', async () => {
    env.world.argocd.duplicateNotifications(true);
    const sha = await env.world.pushCommit({ message: 'Storm: duplicated deliveries' });
    await env.world.argocd.whenNotificationsIdle();
    for (let i = 0; i < 3; i++) await env.world.argocd.resendLast(APP);
    const sent = env.world.argocd.sentNotifications.filter(
      (n) => n.app === APP && n.body.revision === sha && n.event === 'on-out-of-sync',
    );
    expect(sent.length).toBeGreaterThanOrEqual(5);
    await expectOneCard(sha);
    env.world.argocd.duplicateNotifications(false);
  });

  it('a delivery whose answer was lost (the sender gave up waiting) and was retried', async () => {
    env.world.argocd.pauseNotifications();
    const sha = await env.world.pushCommit({ message: 'Storm: retried after a lost answer' });
    const body = outOfSync(sha);
    const aborted = new AbortController();
    const first = postNotification(env.bot.url, secret, body, aborted.signal).catch(() => undefined);
    aborted.abort();
    await first;
    // The retries go to both replicas, as a load balancer would spread them.
    const retries = await Promise.all([
      postNotification(env.bot.url, secret, body),
      postNotification(second.url, secret, body),
      postNotification(env.bot.url, secret, body),
    ]);
    expect(retries.every((r) => r.status === 202)).toBe(true);
    await expectOneCard(sha);
    env.world.argocd.resumeNotifications();
  });

  it('two replicas handling different notifications about the same revision at once', async () => {
    env.world.argocd.pauseNotifications();
    const sha = await env.world.pushCommit({ message: 'Storm: two replicas race to create' });
    // Distinct bodies (other delivery keys) so both replicas really run the card code, 10 each.
    const bodies = Array.from({ length: 20 }, (_, i) => outOfSync(sha, { healthStatus: `Healthy-${i}` }));
    const answers = await Promise.all(
      bodies.map((body, i) => postNotification(i % 2 ? second.url : env.bot.url, secret, body)),
    );
    expect(answers.filter((a) => a.body.status === 'accepted')).toHaveLength(20);
    env.world.argocd.resumeNotifications();
    await expectOneCard(sha);
    // Both replicas did see the app and neither made a second card or index entry.
    const first = env.bot.bot.features.cards.repo;
    const other = second.bot.features.cards.repo;
    const app = { instance: 'default', name: APP, namespace: 'argocd' };
    expect((await first.findByRevision(app, sha))?.id).toBe((await other.findByRevision(app, sha))?.id);
    const active = await first.activeIds();
    const forSha = (await Promise.all(active.map((id) => first.get(id)))).filter(
      (c) => c?.revision === sha && c.app.name === APP,
    );
    expect(forSha).toHaveLength(1);
  });

  it('after the storms: four revisions, four cards, and only the newest is still pending', async () => {
    const posts = cardPosts(env.world.slack, { channel: CHANNEL, app: APP });
    const shas = posts.map((p) => /([0-9a-f]{7}) →/.exec(String(p.args.text))?.[1]);
    expect(shas).toHaveLength(4);
    expect(new Set(shas).size).toBe(4);
    const newest = env.world.headOf('main').slice(0, 7);
    const pending = await eventually(() => {
      const waiting = env.world.slack
        .channelMessages(CHANNEL)
        .filter((m) => m.text.startsWith(APP) && m.text.includes('waiting for approval'));
      return waiting.length === 1 ? waiting : undefined;
    });
    expect(pending[0]?.text).toContain(newest);
  });
});
