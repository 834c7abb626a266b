import { mkdtempSync, readdirSync } from 'node:fs';
import { ACTION_IDS } from '../src/slack/ids.js';
import { startBenchWorld } from './harness/bench-world.js';
import { buildApproveClick, postTimed } from './harness/clicks.js';
import { PROD_CHANNEL, preparePendingCards } from './harness/prepare-cards.js';
import { startSut } from './harness/sut-process.js';
import { formatProfileSummary } from './report/summarize-profile.js';

const dir = mkdtempSync('/tmp/prof-');
const bw = await startBenchWorld({
  redisUrl: 'redis://127.0.0.1:6379',
  notifications: false,
  cpuProfileDir: dir,
});
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
const C = Number(process.argv[2] ?? 100),
  R = Number(process.argv[3] ?? 3);
const { names, cards } = await preparePendingCards(bw, 'c', C * R + 20);
const reqs = names.map((app) =>
  buildApproveClick({
    slack: bw.world.slack,
    card: cards.get(app)!,
    channel: PROD_CHANNEL,
    user: { id: 'U0ALICE', name: 'alice' },
    signingSecret: env.SLACK_SIGNING_SECRET!,
  }),
);
const warm = reqs.slice(0, 20);
await Promise.all(warm.map((r) => postTimed(`${bolt.url}/slack/events`, r)));
await Promise.all(warm.map((r) => postTimed(`${bw.bot.url}/slack/events`, r)));
bw.proxy.setSyncDelay(Number(process.argv[4] ?? 2000));
for (let r = 0; r < R; r++) {
  const slice = reqs.slice(20 + r * C, 20 + (r + 1) * C);
  for (const [label, url] of [
    ['ours', bw.bot.url],
    ['base', bolt.url],
  ] as const) {
    await bw.activity.waitForQuiet({ quietMs: 1000, maxMs: 20000 });
    const t = await Promise.all(slice.map((x) => postTimed(`${url}/slack/events`, x)));
    const ms = t.map((x) => x.ms);
    const order = ms.map((m, i) => [m, i] as const).sort((a, b) => a[0] - b[0]);
    console.log(
      label,
      r,
      'deciles',
      [10, 30, 50, 70, 90, 99]
        .map((q) => order[Math.ceil((q / 100) * ms.length) - 1]![0].toFixed(0))
        .join(' '),
      'slowest idx',
      order
        .slice(-5)
        .map((o) => o[1])
        .join(','),
      'non200',
      t
        .filter((x) => x.status !== 200)
        .map((x) => x.status)
        .join(','),
    );
  }
}
await bolt.stop();
await bw.close();
for (const f of readdirSync(dir)) console.log(formatProfileSummary(dir + '/' + f));
process.exit(0);
