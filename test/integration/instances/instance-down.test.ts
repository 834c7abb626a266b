import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, PEOPLE } from '../../../sandbox/world/seed.js';
import { eventually } from '../../helpers/start-world-bot.js';
import { messageText } from '../cards/card-helpers.js';
import { appsShown, askStatus, readAnswer } from '../status/ask-status.js';
import { APP, startTwoInstances, type TwoInstances } from './two-instances.js';

describe('one Argo CD instance down (eu stopped)', () => {
  let env: TwoInstances;

  beforeAll(async () => {
    env = await startTwoInstances({ reconcileIntervalMs: 300 });
    await env.eu.close();
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("us's notification still makes its card; the reconciler names eu in its warning", async () => {
    const sha = await env.world.pushCommit({ author: 'dave', message: 'Tune consumer batch size' });
    env.us.pushRevision(APP, sha);
    await eventually(
      () =>
        env.world.slack
          .channelMessages(CHANNELS.prodDeploys.id)
          .find((m) => messageText(m).includes(`us/${APP}`) && m.text.includes(sha.slice(0, 7))),
      { timeoutMs: 10_000 },
    );
    await eventually(
      () =>
        env.bot.logs.find(
          (l) =>
            l.includes('"instance":"eu"') &&
            l.includes('could not list the applications of Argo CD instance'),
        ),
      { timeoutMs: 15_000 },
    );
  });

  it('/deploy-status answers with us and says eu did not answer', async () => {
    const answer = await askStatus(env.world, PEOPLE.alice.id, 'event-*');
    expect(appsShown(answer)).toEqual([`us/${APP}`]);
    expect(readAnswer(answer)).toContain('Argo CD instance `eu` did not answer; its apps are not listed.');
  });
});
