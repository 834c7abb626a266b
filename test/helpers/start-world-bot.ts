import { randomUUID } from 'node:crypto';
import { startWorld, type World, type WorldOptions } from '../../sandbox/world/start-world.js';
import { recordForScan } from './secret-scan.js';
import { type StartTestBotOptions, startTestBot, type TestBot } from './start-test-bot.js';

export interface WorldWithBot {
  world: World;
  bot: TestBot;
  stop(): Promise<void>;
}

/** The sandbox's fakes plus a real bot (real Redis) wired to them over HTTP, as in the demo. */
export async function startWorldWithBot(
  worldOptions: WorldOptions = {},
  botOptions: StartTestBotOptions = {},
): Promise<WorldWithBot> {
  const world = await startWorld({ timing: { syncMs: 150, healthMs: 150 }, ...worldOptions });
  const bot = await startTestBot({
    ...botOptions,
    policy: botOptions.policy ?? world.policyYaml,
    env: { ...world.env, ...botOptions.env },
    port: world.botPort,
  });
  return {
    world,
    bot,
    async stop() {
      await bot.stop();
      // What the bot said in Slack (cards, threads, ephemerals, modals) joins the suite-wide secret scan.
      recordForScan(`slack-${process.pid}-${randomUUID()}.json`, JSON.stringify(world.slack.calls));
      await world.close();
    },
  };
}

/** Polls until the predicate holds (the bot works after answering 202, as in production). */
export async function eventually<T>(
  probe: () => T | Promise<T>,
  { timeoutMs = 8000, intervalMs = 25 } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `condition not met within ${timeoutMs} ms (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`,
  );
}
