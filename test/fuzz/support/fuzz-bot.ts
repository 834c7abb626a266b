import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { startTestBot, type TestBot } from '../../helpers/start-test-bot.js';
import { deleteKeys, openRawRedis } from '../../integration/reliability/support/redis-keys.js';
import { closeAgent, sendRaw } from './raw-http.js';

export interface FuzzBot {
  bot: TestBot;
  port: number;
  /** True while the process still answers its liveness probe. */
  alive(): Promise<boolean>;
  stop(): Promise<void>;
}

/** The real bot on real Redis (its own key prefix, removed afterwards); Argo CD, Slack and GitHub are unreachable. */
export async function startFuzzBot(env: Record<string, string> = {}): Promise<FuzzBot> {
  const prefix = `fuzz:${randomUUID()}:`;
  // Quiet logs: thousands of refused requests would otherwise flood the captured output.
  const bot = await startTestBot({ prefix, env: { LOG_LEVEL: 'fatal', ...env } });
  return {
    bot,
    port: bot.port,
    async alive() {
      const response = await sendRaw(bot.port, { method: 'GET', path: '/healthz' }).catch(() => undefined);
      return response?.status === 200;
    },
    async stop() {
      await bot.stop();
      closeAgent();
      const redis = openRawRedis(inject('redisUrl'));
      await deleteKeys(redis, prefix);
      redis.disconnect();
    },
  };
}
