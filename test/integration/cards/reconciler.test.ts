import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, PROJECT } from '../../../sandbox/world/seed.js';
import { startTestBot, type TestBot } from '../../helpers/start-test-bot.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { buttonsOf, cardPosts, sleep, syncInArgo } from './card-helpers.js';

const APP = 'event-ingestion-prod';
const CHANNEL = CHANNELS.prodDeploys.id;

const cardOf = (env: WorldWithBot, sha: string) =>
  env.world.slack.channelMessages(CHANNEL).find((m) => m.text.startsWith(`${APP} ${sha.slice(0, 7)}`));

describe('reconciler: the safety net for lost notifications (one replica, passes run on demand)', () => {
  let env: WorldWithBot;
  const pass = () => env.bot.bot.features.reconciler.tick();

  beforeAll(async () => {
    // A long interval: after the start-up pass, only the passes this test asks for run.
    env = await startWorldWithBot(
      { timing: { syncMs: 1500, healthMs: 200 } },
      { reconcileIntervalMs: 600_000 },
    );
    // Passes queue behind the one under way: this waits for the start-up pass to be over.
    await pass();
    expect(env.bot.bot.features.reconciler.isLeader).toBe(true);
  });
  afterAll(async () => {
    await env?.stop();
  });

  let first = '';

  it('a push whose notification is lost gets no card until a pass posts it', async () => {
    env.world.argocd.pauseNotifications();
    first = await env.world.pushCommit({ message: 'Pushed while notifications are lost' });
    await sleep(1000);
    expect(cardOf(env, first)).toBeUndefined();
    expect(env.world.argocd.sentNotifications.some((n) => n.lost && n.app === APP)).toBe(true);
    await pass();
    const card = await eventually(() => cardOf(env, first));
    expect(card.text).toContain('waiting for approval');
    expect(buttonsOf(card)).toContain('deploy_approve_sync');
    // Auto-sync apps get no card from a pass: their cards come from notifications only.
    expect(cardPosts(env.world.slack, { app: 'kafka-prod', sha: first })).toEqual([]);
    await pass();
    expect(cardPosts(env.world.slack, { channel: CHANNEL, app: APP, sha: first })).toHaveLength(1);
  });

  it('a newer lost push: the pass posts the new card and supersedes the old one', async () => {
    const second = await env.world.pushCommit({ message: 'Second push, also lost' });
    await sleep(500);
    expect(cardOf(env, second)).toBeUndefined();
    await pass();
    await eventually(() => cardOf(env, second)?.text.includes('waiting for approval'));
    await eventually(() => cardOf(env, first)?.text.includes('superseded by'));
    expect(buttonsOf(cardOf(env, first)!)).toEqual([]);
    first = second;
  });

  it('follows a card left in syncing (a sync started in Argo CD) to its end', async () => {
    env.world.argocd.resumeNotifications();
    expect((await syncInArgo(env.world, { name: APP, project: PROJECT }, first)).status).toBe(200);
    await eventually(() => cardOf(env, first)?.text.includes('is syncing'));
    // The notifications of the end are lost; nobody follows an operation the bot did not start...
    env.world.argocd.pauseNotifications();
    expect(env.world.argocd.app(APP).status.operationState?.phase).toBe('Running');
    // ...until a pass finds the card in syncing: one pass, while the sync still runs, is enough.
    await pass();
    expect(cardOf(env, first)?.text).toContain('is syncing');
    const deployed = await eventually(() => {
      const card = cardOf(env, first);
      return card?.text.includes('was deployed') ? card : undefined;
    });
    expect(buttonsOf(deployed)).toContain('deploy_rollback');
    expect(
      env.world.argocd.sentNotifications.filter((n) => n.app === APP && n.event === 'on-deployed' && n.lost),
    ).toHaveLength(1);
  });

  it('refreshes a card whose app moved without a notification (degraded, then healthy again)', async () => {
    env.world.argocd.degrade(APP);
    await sleep(500);
    expect(cardOf(env, first)?.text).toContain('was deployed');
    await pass();
    await eventually(() => cardOf(env, first)?.text.includes('is degraded'));
    env.world.argocd.setHealth(APP, 'Healthy');
    await pass();
    await eventually(() => cardOf(env, first)?.text.includes('was deployed'));
    expect(cardPosts(env.world.slack, { channel: CHANNEL, app: APP, sha: first })).toHaveLength(1);
  });

  it('reads again an open card stored before each commit carried its pull requests (self-approval needs them)', async () => {
    const cards = env.bot.bot.features.cards;
    const sha = await env.world.pushCommit({ message: 'Stored by an older deploybot' });
    await pass();
    await eventually(() => cardOf(env, sha)?.text.includes('waiting for approval'));
    const stored = await eventually(async () => {
      const card = await cards.repo.findByRevision(
        { instance: 'default', name: APP, namespace: 'argocd' },
        sha,
      );
      return card?.changelog.commits.every((c) => c.pulls !== undefined) ? card : undefined;
    });
    // What 64ee39d stored: commits without their pull-request numbers, so authorship reads as unknown.
    await cards.repo.update(stored.id, (card) => ({
      ...card,
      changelog: { ...card.changelog, commits: card.changelog.commits.map(({ pulls: _, ...c }) => c) },
    }));
    await pass();
    const reread = await eventually(async () => {
      const card = await cards.repo.get(stored.id);
      return card?.changelog.commits.every((c) => c.pulls !== undefined) ? card : undefined;
    });
    expect(reread.changelog.commits.map((c) => c.sha)).toEqual(stored.changelog.commits.map((c) => c.sha));
  });

  it('stops following a deployed card once a newer revision runs', async () => {
    const cards = env.bot.bot.features.cards;
    const done = await cards.repo.findByRevision(
      { instance: 'default', name: APP, namespace: 'argocd' },
      first,
    );
    expect(await cards.repo.activeIds()).toContain(done?.id);
    const next = await env.world.pushCommit({ message: 'Third push' });
    await pass();
    await eventually(() => cardOf(env, next));
    expect((await syncInArgo(env.world, { name: APP, project: PROJECT }, next)).status).toBe(200);
    await eventually(
      () =>
        env.world.argocd.app(APP).status.health.status === 'Healthy' &&
        env.world.argocd.app(APP).status.sync.status === 'Synced',
    );
    await pass();
    await eventually(async () => !(await cards.repo.activeIds()).includes(done!.id));
    // Its health is history: the newer deploy degrading does not touch it.
    env.world.argocd.degrade(APP);
    await pass();
    await eventually(() => cardOf(env, next)?.text.includes('is degraded'));
    expect(cardOf(env, first)?.text).toContain('was deployed');
  });
});

describe('reconciler: one leader among replicas', () => {
  let env: WorldWithBot;
  let replicas: TestBot[];
  const stopped = new Set<TestBot>();
  const prefix = `test:${randomUUID()}:`;
  const INTERVAL = 300;

  beforeAll(async () => {
    env = await startWorldWithBot({}, { prefix, reconcileIntervalMs: INTERVAL });
    const other = await startTestBot({
      prefix,
      policy: env.world.policyYaml,
      env: env.world.env,
      port: 0,
      reconcileIntervalMs: INTERVAL,
    });
    replicas = [env.bot, other];
  });
  afterAll(async () => {
    for (const replica of replicas ?? []) if (!stopped.has(replica)) await replica.stop();
    await env?.world.close();
  });

  const leaders = () => replicas.filter((r) => !stopped.has(r) && r.bot.features.reconciler.isLeader);

  it('exactly one replica holds the lease at a time', async () => {
    await eventually(() => leaders().length === 1);
    let both = 0;
    for (let i = 0; i < 40; i++) {
      if (leaders().length > 1) both++;
      await sleep(50);
    }
    expect(both).toBe(0);
    expect(leaders()).toHaveLength(1);
  });

  it('when the leader stops, the other takes over within the lease time and reconciles', async () => {
    const leader = leaders()[0]!;
    const follower = replicas.find((r) => r !== leader)!;
    const leaseMs = follower.bot.features.reconciler.leaseMs;
    expect(follower.bot.features.reconciler.isLeader).toBe(false);
    const stoppedAt = Date.now();
    await leader.stop();
    stopped.add(leader);
    await eventually(() => follower.bot.features.reconciler.isLeader, { timeoutMs: leaseMs + 1000 });
    expect(Date.now() - stoppedAt).toBeLessThan(leaseMs);

    // The new leader's passes post the card of a push whose notification is lost.
    env.world.argocd.pauseNotifications();
    const sha = await env.world.pushCommit({ message: 'After the hand-over' });
    await eventually(() => cardOf(env, sha), { timeoutMs: 5000 });
    expect(cardPosts(env.world.slack, { channel: CHANNEL, app: APP, sha })).toHaveLength(1);
  });
});
