import type { FakeArgoCd } from '../../../sandbox/fake-argocd/index.js';
import { startFakeArgoCd } from '../../../sandbox/fake-argocd/index.js';
import { PROJECT, REPO_URL } from '../../../sandbox/world/seed.js';
import { startWorld, type World } from '../../../sandbox/world/start-world.js';
import { recordForScan } from '../../helpers/secret-scan.js';
import { startTestBot, type TestBot } from '../../helpers/start-test-bot.js';

/** Each instance's own Argo CD token and own notifications secret (none is any other's). */
export const INSTANCE_SECRETS = {
  eu: { token: 'eu-argocd-token-5f2a9c1d', webhook: 'eu-notifications-secret-7b3e' },
  us: { token: 'us-argocd-token-0c8d4e6f', webhook: 'us-notifications-secret-1a9f' },
} as const;

export const APP = 'event-ingestion-prod';

export interface TwoInstances {
  world: World;
  eu: FakeArgoCd;
  us: FakeArgoCd;
  bot: TestBot;
  stop(): Promise<void>;
}

/**
 * The sandbox world's Slack and GitHub, two fake Argo CDs over HTTP (eu, us) that each hold
 * `event-ingestion-prod` and send their own notifications secret, and a real bot (real Redis) with
 * ARGOCD_INSTANCES=eu,us. The world's own Argo CD is not the bot's: its notifications get 401.
 */
export async function startTwoInstances(
  options: { reconcileIntervalMs?: number; policy?: string } = {},
): Promise<TwoInstances> {
  const world = await startWorld({ timing: { syncMs: 150, healthMs: 150 } });
  const start = (name: 'eu' | 'us') =>
    startFakeArgoCd({
      host: '127.0.0.1',
      tokens: { [INSTANCE_SECRETS[name].token]: `deploybot-${name}` },
      timing: { syncMs: 150, healthMs: 150 },
      notifications: { url: world.botUrl, secret: INSTANCE_SECRETS[name].webhook, retryWaitMs: 100 },
      apps: [
        {
          name: APP,
          project: PROJECT,
          repoURL: REPO_URL,
          path: 'k8s/services/event-ingestion',
          targetRevision: 'main',
          revision: world.headOf('main'),
          health: 'Healthy',
        },
      ],
    });
  const [eu, us] = await Promise.all([start('eu'), start('us')]);
  const bot = await startTestBot({
    policy: options.policy ?? world.policyYaml,
    env: {
      ...world.env,
      ARGOCD_URL: undefined,
      ARGOCD_UI_URL: undefined,
      ARGOCD_TOKEN: undefined,
      ARGOCD_WEBHOOK_SECRET: undefined,
      ARGOCD_INSTANCES: 'eu,us',
      ARGOCD_EU_URL: eu.url,
      ARGOCD_EU_TOKEN: INSTANCE_SECRETS.eu.token,
      ARGOCD_EU_WEBHOOK_SECRET: INSTANCE_SECRETS.eu.webhook,
      ARGOCD_US_URL: us.url,
      ARGOCD_US_TOKEN: INSTANCE_SECRETS.us.token,
      ARGOCD_US_WEBHOOK_SECRET: INSTANCE_SECRETS.us.webhook,
      ARGOCD_US_UI_URL: 'https://argocd-us.example.com',
    },
    port: world.botPort,
    reconcileIntervalMs: options.reconcileIntervalMs,
  });
  return {
    world,
    eu,
    us,
    bot,
    async stop() {
      await bot.stop();
      recordForScan(`slack-instances-${process.pid}.json`, JSON.stringify(world.slack.calls));
      await Promise.allSettled([eu.close(), us.close()]);
      await world.close();
    },
  };
}

/** Requests a fake received that name the app (reads, syncs; not the instance-wide list). */
export const appRequests = (argocd: FakeArgoCd) =>
  argocd.requests.filter((r) => r.path.startsWith(`/api/v1/applications/${APP}`));
