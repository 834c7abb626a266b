import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../sandbox/world/seed.js';
import { eventually } from '../../helpers/start-world-bot.js';
import { messageText } from '../cards/card-helpers.js';
import { APP, startTwoInstances, type TwoInstances } from './two-instances.js';

describe('one Argo CD instance hanging (eu answers after 30 s)', () => {
  let env: TwoInstances;

  beforeAll(async () => {
    env = await startTwoInstances({ reconcileIntervalMs: 400 });
  });
  afterAll(async () => {
    env?.eu.setLatency(0);
    await env?.stop();
  });

  it("does not hold up us's reconciler pass: us's card is posted while eu's list still hangs", async () => {
    env.eu.setLatency(30_000);
    env.us.pauseNotifications();
    // Let a pass start on the hanging eu first (eu's list then takes its whole timeout and retries, ~13 s).
    await new Promise((r) => setTimeout(r, 800));
    const sha = await env.world.pushCommit({ author: 'dave', message: 'Retry ClickHouse inserts' });
    const pushedAt = Date.now();
    env.us.pushRevision(APP, sha);
    // Only the reconciler can find it: us sends no notification.
    await eventually(
      () =>
        env.world.slack
          .channelMessages(CHANNELS.prodDeploys.id)
          .find((m) => messageText(m).includes(`us/${APP}`) && m.text.includes(sha.slice(0, 7))),
      { timeoutMs: 6000 },
    );
    expect(Date.now() - pushedAt).toBeLessThan(6000);
    // eu is named: its pass is still running, so later ticks skip it instead of waiting for it.
    expect(
      env.bot.logs.some((l) => l.includes('"instance":"eu"') && l.includes('still being reconciled')),
    ).toBe(true);
  });
});
