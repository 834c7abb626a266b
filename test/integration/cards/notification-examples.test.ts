import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelMessage } from '../../../sandbox/fake-slack/index.js';
import { CHANNELS } from '../../../sandbox/world/seed.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  buttonsOf,
  callArgo,
  cardPosts,
  cardsFor,
  type ExampleName,
  loadExample,
  messageText,
  postNotification,
  sleep,
  syncInArgo,
  updatesOf,
} from './card-helpers.js';

// The app and revisions the example bodies describe; the fake Argo CD is seeded to match them.
const APP = { name: 'payments-api-prod', project: 'payments' };
const OLDEST = '1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e';
const DEPLOYED = '4f2c1a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39';
const TARGET = '9b1e7c3d5a2f4e6b8c0d1f3a5b7c9e2d4f6a8b1c';
const CHANNEL = CHANNELS.prodDeploys.id;

// Only payments apps of project payments are covered; the world's own apps get no cards here.
const POLICY = `
channels: { deploys: ${CHANNELS.deploys.id} }
environments:
  prod:
    channel: ${CHANNEL}
    approvers: { users: [U0ALICE] }
    requiredApprovals: 1
apps:
  - { match: "payments-*-prod", project: payments, environment: prod }
`;

async function startPaymentsWorld(syncMs: number): Promise<WorldWithBot> {
  const env = await startWorldWithBot({ timing: { syncMs, healthMs: 150 } }, { policy: POLICY });
  // The start-up reconcile pass is over before the app exists: only the example notifications make its card.
  await env.bot.bot.features.reconciler.tick();
  env.world.argocd.addApp({
    name: APP.name,
    project: APP.project,
    repoURL: 'https://github.com/acme/deploy-manifests.git',
    path: 'apps/payments-api/overlays/prod',
    targetRevision: 'main',
    destination: { server: 'https://kubernetes.default.svc', namespace: 'payments' },
    revision: DEPLOYED,
    previousRevisions: [OLDEST],
    images: ['ghcr.io/acme/payments-api:1.41.2', 'docker.io/library/redis:7.2.5'],
  });
  // Only the example bodies this test POSTs reach the bot; the fake's own notifications are lost.
  env.world.argocd.pauseNotifications();
  env.world.argocd.pushRevision(APP.name, TARGET, {
    images: ['ghcr.io/acme/payments-api:1.42.0', 'docker.io/library/redis:7.2.5'],
  });
  return env;
}

async function post(env: WorldWithBot, name: ExampleName) {
  const answer = await postNotification(env.bot.url, env.world.env.ARGOCD_WEBHOOK_SECRET!, loadExample(name));
  expect(answer).toEqual({ status: 202, body: { status: 'accepted' } });
}

const theCard = (env: WorldWithBot): ChannelMessage | undefined =>
  cardsFor(env.world.slack, CHANNEL, TARGET)[0];
const threadOf = (env: WorldWithBot, card: ChannelMessage) =>
  env.world.slack.thread(CHANNEL, card.ts).map((m) => m.text ?? '');

async function waitForArgo(env: WorldWithBot, done: (phase?: string, health?: string) => boolean) {
  await eventually(() => {
    const status = env.world.argocd.app(APP.name).status;
    return done(status.operationState?.phase, status.health.status);
  });
}

/** Nothing moves the card while no notification arrives (the reconciler runs only at start-up here). */
async function expectUnchanged(env: WorldWithBot, card: ChannelMessage) {
  await sleep(400);
  expect(theCard(env)?.text).toBe(card.text);
}

describe('example notifications: out-of-sync → running → deployed → degraded', () => {
  let env: WorldWithBot;
  beforeAll(async () => {
    env = await startPaymentsWorld(2500);
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('on-out-of-sync: posts one pending card from what Argo CD says about the app', async () => {
    await sleep(300);
    expect(cardPosts(env.world.slack)).toHaveLength(0);
    await post(env, 'on-out-of-sync');
    // Posted from Argo CD's read at once; the enrichment (here: the repository is not on GitHub) follows.
    const card = await eventually(() => {
      const c = theCard(env);
      return c && messageText(c).includes('changelog unavailable') ? c : undefined;
    });
    const text = messageText(card);
    expect(card.text).toBe(`${APP.name} 9b1e7c3 → prod is waiting for approval`);
    expect(text).toContain('Waiting for approval');
    expect(buttonsOf(card)).toEqual(['deploy_approve_sync', 'deploy_reject', 'deploy_open_argocd']);
    expect(text).toContain('4f2c1a9'); // from: the deployed revision Argo CD reports
    expect(text).toMatch(/ghcr.io\/acme\/payments-api`?: `1\.41\.2` → `1\.42\.0`/);
    expect(text).not.toContain('redis'); // unchanged images are left out
    expect(text).toContain('payments'); // project and destination namespace
    expect(text).toContain('changelog unavailable'); // acme/deploy-manifests is not on the fake GitHub
    expect(cardPosts(env.world.slack, { sha: TARGET })).toHaveLength(1);
  });

  it('on-sync-running: a sync started in Argo CD turns the same card to syncing, noted in its thread', async () => {
    const pending = theCard(env)!;
    expect((await syncInArgo(env.world, APP, TARGET)).status).toBe(200);
    await expectUnchanged(env, pending);
    await post(env, 'on-sync-running');
    const syncing = await eventually(() => {
      const card = theCard(env);
      return card?.text.includes('is syncing') ? card : undefined;
    });
    expect(syncing.ts).toBe(pending.ts);
    expect(messageText(syncing)).toContain('waiting for healthy state of apps/Deployment/payments-api');
    expect(buttonsOf(syncing)).not.toContain('deploy_approve_sync');
    await eventually(() => threadOf(env, syncing).some((t) => t.includes('started in Argo CD by deploybot')));
    expect(cardPosts(env.world.slack)).toHaveLength(1);
  });

  it('on-deployed: the card says deployed and offers Rollback', async () => {
    await waitForArgo(env, (phase, health) => phase === 'Succeeded' && health === 'Healthy');
    const syncing = theCard(env)!;
    await expectUnchanged(env, syncing);
    await post(env, 'on-deployed');
    const deployed = await eventually(() => {
      const card = theCard(env);
      return card?.text.includes('was deployed') ? card : undefined;
    });
    expect(messageText(deployed)).toContain('*Deployed*');
    expect(messageText(deployed)).toContain('Healthy');
    expect(buttonsOf(deployed)).toEqual(['deploy_rollback', 'deploy_open_argocd']);
    await eventually(() => threadOf(env, deployed).some((t) => /9b1e7c3.*deployed/.test(t)));
    expect(updatesOf(env.world.slack, deployed.ts).length).toBeGreaterThanOrEqual(2);
  });

  it('on-health-degraded: the card turns degraded, with Argo CD’s health message in the thread', async () => {
    env.world.argocd.degrade(APP.name, 'Deployment "payments-api" exceeded its progress deadline');
    const deployed = theCard(env)!;
    await expectUnchanged(env, deployed);
    await post(env, 'on-health-degraded');
    const degraded = await eventually(() => {
      const card = theCard(env);
      return card?.text.includes('is degraded') ? card : undefined;
    });
    expect(messageText(degraded)).toContain('Deployed but degraded');
    expect(buttonsOf(degraded)).toContain('deploy_rollback');
    await eventually(() =>
      threadOf(env, degraded).some((t) => t.includes('Health Degraded') && t.includes('progress deadline')),
    );
    expect(cardPosts(env.world.slack)).toHaveLength(1);
  });
});

describe('example notifications: the body is a hint; failed and terminated syncs', () => {
  let env: WorldWithBot;
  beforeAll(async () => {
    env = await startPaymentsWorld(1200);
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('on-deployed about an app that Argo CD says is OutOfSync makes a pending card, not a deployed one', async () => {
    await post(env, 'on-deployed');
    const card = await eventually(() => theCard(env));
    expect(card.text).toContain('is waiting for approval');
    expect(buttonsOf(card)).toContain('deploy_approve_sync');
  });

  it('on-sync-failed: the card says the sync failed, quotes Argo CD and offers Retry', async () => {
    env.world.argocd.failNextSync(
      APP.name,
      'Deployment.apps "payments-api" is invalid: cpu request above limit',
    );
    expect((await syncInArgo(env.world, APP, TARGET)).status).toBe(200);
    await waitForArgo(env, (phase) => phase === 'Failed');
    const pending = theCard(env)!;
    await expectUnchanged(env, pending);
    await post(env, 'on-sync-failed');
    const failed = await eventually(() => {
      const card = theCard(env);
      return card?.text.includes('failed to sync') ? card : undefined;
    });
    expect(messageText(failed)).toContain('one or more objects failed to apply, reason: Deployment.apps');
    expect(buttonsOf(failed)).toEqual(['deploy_retry', 'deploy_open_argocd']);
    await eventually(() => threadOf(env, failed).some((t) => t.includes('failed: one or more objects')));
  });

  it('on-sync-failed (terminated): a second sync stopped in Argo CD shows "Operation terminated"', async () => {
    await sleep(1100); // a new operation: Argo CD's startedAt has second precision
    expect((await syncInArgo(env.world, APP, TARGET)).status).toBe(200);
    const terminate = await callArgo(
      env.world,
      'DELETE',
      `/api/v1/applications/${APP.name}/operation?appNamespace=argocd&project=${APP.project}`,
    );
    expect(terminate.status).toBe(200);
    await waitForArgo(
      env,
      () => env.world.argocd.app(APP.name).status.operationState?.message === 'Operation terminated',
    );
    const failed = theCard(env)!;
    await expectUnchanged(env, failed);
    await post(env, 'on-sync-failed-terminated');
    const terminated = await eventually(() => {
      const card = theCard(env);
      return card?.text.includes('Operation terminated') ? card : undefined;
    });
    expect(terminated.ts).toBe(failed.ts);
    expect(buttonsOf(terminated)).toContain('deploy_retry');
    expect(cardPosts(env.world.slack)).toHaveLength(1);
  });
});
