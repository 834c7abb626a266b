import { ACTION_IDS } from '../src/slack/ids.js';
import { startBenchWorld } from './harness/bench-world.js';
import { buildApproveClick, postTimed } from './harness/clicks.js';
import { PROD_CHANNEL, preparePendingCards } from './harness/prepare-cards.js';
import { startSut } from './harness/sut-process.js';
import { summarize } from './report/stats.js';

const bw = await startBenchWorld({ redisUrl: 'redis://127.0.0.1:6379', notifications: false });
const env = bw.env;
const bolt = await startSut({
  mode: 'bare-bolt',
  signingSecret: env.SLACK_SIGNING_SECRET!,
  botToken: env.SLACK_BOT_TOKEN!,
  slackApiUrl: env.SLACK_API_URL!,
  approveActionId: ACTION_IDS.approve,
  argocdUrl: bw.proxy.url,
  argocdToken: env.ARGOCD_TOKEN!,
});
const { names, cards } = await preparePendingCards(bw, 'x', 1);
const card = cards.get(names[0]!)!;
for (const [n, target] of [
  [20, bolt.url],
  [20, bw.bot.url],
  [100, bolt.url],
  [100, bw.bot.url],
  [100, bolt.url],
  [100, bw.bot.url],
  [100, bolt.url],
  [100, bw.bot.url],
] as const) {
  const reqs = Array.from({ length: n }, (_, i) =>
    buildApproveClick({
      slack: bw.world.slack,
      card,
      channel: PROD_CHANNEL,
      user: { id: 'U0ALICE', name: 'alice' },
      signingSecret: env.SLACK_SIGNING_SECRET!,
      value: `warm-${n}-${i}-${Math.random()}`,
    }),
  );
  const t = await Promise.all(reqs.map((r) => postTimed(`${target}/slack/events`, r)));
  const s = summarize(t.map((x) => x.ms));
  console.log(
    n,
    target === bolt.url ? 'base' : 'ours',
    s.p50.toFixed(1),
    s.p99.toFixed(1),
    t.filter((x) => x.status !== 200).length,
  );
  await new Promise((r) => setTimeout(r, 1000));
}
await bolt.stop();
await bw.close();
process.exit(0);
