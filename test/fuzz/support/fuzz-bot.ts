import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { type FakeArgoCd, startFakeArgoCd } from '../../../sandbox/fake-argocd/index.js';
import { startWorld, type World } from '../../../sandbox/world/start-world.js';
import { startTestBot, TEST_SECRETS, type TestBot } from '../../helpers/start-test-bot.js';
import { deleteKeys, openRawRedis } from '../../integration/reliability/support/redis-keys.js';
import { closeAgent, sendRaw } from './raw-http.js';

export interface FuzzBot {
  bot: TestBot;
  port: number;
  /** The fake Slack, Argo CD and GitHub the bot talks to, when started with `world: true`. */
  world?: World;
  /** True while the process still answers its liveness probe. */
  alive(): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * The real bot on real Redis (its own key prefix, removed afterwards). Without a world it has an empty
 * fake Argo CD (a fuzzed app is unknown there: one quick 4xx, no retries) and no Slack or GitHub; with
 * one (the sandbox's fakes) Bolt can authorize requests and run our listeners.
 */
export async function startFuzzBot({ world: withWorld = false } = {}): Promise<FuzzBot> {
  const prefix = `fuzz:${randomUUID()}:`;
  const world = withWorld ? await startWorld({ timing: { syncMs: 50, healthMs: 50 } }) : undefined;
  const argocd: FakeArgoCd | undefined = world
    ? undefined
    : await startFakeArgoCd({ tokens: { [TEST_SECRETS.ARGOCD_TOKEN]: 'deploybot' } });
  // Quiet logs: thousands of refused requests would otherwise flood the captured output.
  const bot = await startTestBot({
    prefix,
    env: { ...(world?.env ?? { ARGOCD_URL: argocd?.url ?? '' }), LOG_LEVEL: 'fatal' },
    ...(world ? { policy: world.policyYaml, port: world.botPort } : {}),
  });
  return {
    bot,
    port: bot.port,
    world,
    async alive() {
      const response = await sendRaw(bot.port, { method: 'GET', path: '/healthz' }).catch(() => undefined);
      return response?.status === 200;
    },
    async stop() {
      await bot.stop();
      await world?.close();
      await argocd?.close();
      closeAgent();
      const redis = openRawRedis(inject('redisUrl'));
      await deleteKeys(redis, prefix);
      redis.disconnect();
    },
  };
}
