import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, PEOPLE } from '../../../sandbox/world/seed.js';
import { eventually } from '../../helpers/start-world-bot.js';
import { messageText } from '../cards/card-helpers.js';
import { settle } from '../reliability/support/cards.js';
import { APP, startTwoInstances, type TwoInstances } from './two-instances.js';

describe("one instance rejects deploybot's token (us expired)", () => {
  let env: TwoInstances;

  beforeAll(async () => {
    env = await startTwoInstances();
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('the card, the presser and the log name ARGOCD_US_TOKEN, not the single-instance or the other variable', async () => {
    const sha = await env.world.pushCommit({ author: 'dave', message: 'Tune consumer batch size' });
    env.us.pushRevision(APP, sha);
    const card = await eventually(
      () =>
        env.world.slack
          .channelMessages(CHANNELS.prodDeploys.id)
          .find((m) => messageText(m).includes(`us/${APP}`) && m.text.includes(sha.slice(0, 7))),
      { timeoutMs: 10_000 },
    );
    await settle(env.bot);
    // From now on us refuses every call with 401, as when its token has expired; eu still accepts its own.
    env.us.failNext({ status: 401, times: 100_000 });
    const logsFrom = env.bot.logs.length;
    const click = await env.world.slack.clickButton({
      user: PEOPLE.alice.id,
      channel: CHANNELS.prodDeploys.id,
      ts: card.ts,
      actionId: 'deploy_approve_sync',
    });
    expect(click.status).toBe(200);
    const refused = await eventually(() => {
      const message = env.world.slack.channelMessages(CHANNELS.prodDeploys.id).find((m) => m.ts === card.ts);
      return message && /ARGOCD_US_TOKEN/.test(JSON.stringify(message.blocks)) ? message : undefined;
    });
    expect(JSON.stringify(refused.blocks)).not.toMatch(/ARGOCD_TOKEN|ARGOCD_EU_TOKEN/);
    const alice = await eventually(() =>
      env.world.slack.ephemerals({ user: PEOPLE.alice.id }).find((e) => /ARGOCD_US_TOKEN/.test(e.text)),
    );
    expect(alice.text).toContain('instance us');
    expect(alice.text).not.toMatch(/ARGOCD_TOKEN|ARGOCD_EU_TOKEN/);
    await eventually(() =>
      env.bot.logs
        .slice(logsFrom)
        .find((l) => l.includes('"instance":"us"') && l.includes('renew ARGOCD_US_TOKEN')),
    );
  }, 30_000);
});
