import { startWorld } from '../sandbox/world/start-world.js';
import { createDeploybot } from '../src/app/create-deploybot.js';
import { loadConfig } from '../src/config/load-config.js';
import { addOutOfSyncApps, appNames } from './harness/apps.js';
import { waitForCards } from './harness/cards.js';
import { buildApproveClick, postTimed } from './harness/clicks.js';
import { notificationBody, postNotification } from './harness/notify.js';
import { PROD_CHANNEL } from './harness/prepare-cards.js';

const world = await startWorld({ timing: { syncMs: 200, healthMs: 200 } });
world.argocd.pauseNotifications();
const env = {
  ...world.env,
  REDIS_URL: 'redis://127.0.0.1:6379',
  REDIS_KEY_PREFIX: `dbg:${Date.now()}:`,
  LOG_LEVEL: 'warn',
};
const config = await loadConfig({ env, readText: async () => world.policyYaml });
const bot = await createDeploybot({ config, host: '127.0.0.1' });
await bot.start(world.botPort);
const url = `http://127.0.0.1:${world.botPort}`;
const base = world.headOf('main');
const target = await world.pushCommit({ author: 'dave', message: 'x' });
const names = appNames('x', 3);
addOutOfSyncApps(world, names, base, target);
for (const app of names)
  await postNotification(
    `${url}/argocd/events`,
    env.ARGOCD_WEBHOOK_SECRET,
    notificationBody({ app, revision: target }),
  );
const cards = await waitForCards(world.slack, PROD_CHANNEL.id, names, 20000);
for (const app of names)
  console.log(
    (
      await postTimed(
        `${url}/slack/events`,
        buildApproveClick({
          slack: world.slack,
          card: cards.get(app)!,
          channel: PROD_CHANNEL,
          user: { id: 'U0ALICE', name: 'alice' },
          signingSecret: env.SLACK_SIGNING_SECRET,
        }),
      )
    ).status,
  );
await new Promise((r) => setTimeout(r, 4000));
const t = Date.now();
const timer = setInterval(() => console.log('waiting', Date.now() - t), 3000);
await bot.stop(5000);
console.log('stopped', Date.now() - t);
process.exit(0);
