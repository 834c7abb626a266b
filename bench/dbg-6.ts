import { startBenchWorld } from './harness/bench-world.js';
import { buildApproveClick, postTimed } from './harness/clicks.js';
import { PROD_CHANNEL, preparePendingCards } from './harness/prepare-cards.js';

const bw = await startBenchWorld({ redisUrl: 'redis://127.0.0.1:6379', notifications: false });
const { names, cards } = await preparePendingCards(bw, 'x', 2);
for (const app of names)
  console.log(
    await postTimed(
      `${bw.bot.url}/slack/events`,
      buildApproveClick({
        slack: bw.world.slack,
        card: cards.get(app)!,
        channel: PROD_CHANNEL,
        user: { id: 'U0ALICE', name: 'alice' },
        signingSecret: bw.env.SLACK_SIGNING_SECRET!,
      }),
    ),
  );
await bw.activity.waitForQuiet({ quietMs: 800, maxMs: 15000 });
const t = Date.now();
await bw.bot.stop();
console.log('bot stop', Date.now() - t);
await bw.close();
process.exit(0);
