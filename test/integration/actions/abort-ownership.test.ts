import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  auditOf,
  cardIdOf,
  ephemeralTexts,
  PROD,
  PROD_APP,
  storedCard,
  threadText,
  waitForCard,
} from './helpers.js';

describe.each(SLACK_TRANSPORTS)('abort ownership over %s', (slackTransport) => {
  let env: WorldWithBot;
  beforeAll(async () => {
    // Slow syncs and a slow health check: a card stays "syncing" while someone else's operation runs.
    env = await startWorldWithBot({ slackTransport, timing: { syncMs: 2500, healthMs: 4000 } });
  });
  afterAll(async () => {
    await env?.stop();
  });

  const click = (user: string, ts: string, actionId: string) =>
    env.world.slack.clickButton({ user, channel: PROD, ts, actionId });

  const terminations = () => env.world.argocd.requests.filter((r) => r.method === 'DELETE');

  const lastOperation = () => env.world.argocd.app(PROD_APP).status.operationState;

  /** Bob (an approver) presses Abort; waits for his answer (or for a terminate request), then: nothing terminated. */
  async function abortAsBob(ts: string): Promise<void> {
    const answers = ephemeralTexts(env.world, 'U0BOB').length;
    await click('U0BOB', ts, 'deploy_abort');
    await eventually(() => ephemeralTexts(env.world, 'U0BOB').length > answers || terminations().length > 0);
    expect(terminations(), 'no DELETE …/operation').toEqual([]);
  }

  async function waitForIdleApp(): Promise<void> {
    await eventually(() => !env.world.argocd.app(PROD_APP).operation, { timeoutMs: 15_000 });
  }

  describe('Abort stops only the card’s own operation', () => {
    it('a sync of the card’s revision started in the Argo CD UI (not from the card) is not terminated', async () => {
      const { world } = env;
      await waitForIdleApp();
      const sha = await world.pushCommit({ author: 'dave', message: 'Synced by hand in the UI' });
      const card = await waitForCard(world, PROD, sha);
      const cardId = cardIdOf(card);
      // Someone syncs the revision from Argo CD itself; the card follows it (syncing) and offers Abort.
      world.argocd.startOperation(PROD_APP, { revision: sha, username: 'mallory' });
      await waitForCard(world, PROD, sha, 'deploy_abort');
      expect((await storedCard(env, cardId)).state).toBe('syncing');

      await abortAsBob(card.ts);
      const answer = ephemeralTexts(world, 'U0BOB').find((t) => t.includes("is not this card's"))!;
      expect(answer).toContain(`The running operation on ${PROD_APP} is not this card's`);
      expect(answer).toContain(`of ${sha.slice(0, 7)} started by mallory`);
      expect(answer).toContain('nothing was terminated');
      expect(terminations()).toEqual([]);
      // The operation runs to its end.
      await eventually(() => lastOperation()?.phase === 'Succeeded', { timeoutMs: 10_000 });
      expect(terminations()).toEqual([]);
      const audit = (await auditOf(env, cardId)).map((e) => `${e.action}:${e.outcome}:${e.user ?? ''}`);
      expect(audit).toContain('abort:refused:U0BOB');
      expect(audit).not.toContain('abort:started:U0BOB');
      await eventually(() => threadText(world, PROD, card.ts).includes("is not this card's"));
    }, 30_000);

    it('after the card’s sync ended, a sync of another revision running meanwhile is not terminated', async () => {
      const { world } = env;
      await waitForIdleApp();
      const previous = world.headOf('main');
      const sha = await world.pushCommit({ author: 'dave', message: 'Deployed, then someone synced back' });
      const card = await waitForCard(world, PROD, sha);
      const cardId = cardIdOf(card);
      await click('U0ALICE', card.ts, 'deploy_approve_sync');
      await waitForCard(world, PROD, sha, 'deploy_abort');
      // The card's sync is over in Argo CD; while the card waits for health, someone syncs the old revision.
      await eventually(
        () => lastOperation()?.phase === 'Succeeded' && lastOperation()?.syncResult?.revision === sha,
        {
          timeoutMs: 10_000,
          intervalMs: 10,
        },
      );
      world.argocd.startOperation(PROD_APP, { revision: previous, username: 'admin' });
      expect((await storedCard(env, cardId)).state).toBe('syncing');

      await abortAsBob(card.ts);
      expect(ephemeralTexts(world, 'U0BOB').at(-1)).toContain(
        `is not this card's: an operation of ${previous.slice(0, 7)} started by admin`,
      );
      await eventually(
        () => lastOperation()?.phase === 'Succeeded' && lastOperation()?.syncResult?.revision === previous,
        {
          timeoutMs: 10_000,
        },
      );
      expect(terminations()).toEqual([]);
    }, 30_000);

    it('the card’s own running sync is still terminated', async () => {
      const { world } = env;
      await waitForIdleApp();
      const sha = await world.pushCommit({ author: 'dave', message: 'Aborted from its card' });
      const card = await waitForCard(world, PROD, sha);
      const cardId = cardIdOf(card);
      await click('U0ALICE', card.ts, 'deploy_approve_sync');
      await waitForCard(world, PROD, sha, 'deploy_abort');
      const before = terminations().length;
      await click('U0BOB', card.ts, 'deploy_abort');
      await eventually(() => terminations().length === before + 1);
      await eventually(async () => (await storedCard(env, cardId)).state === 'failed', { timeoutMs: 10_000 });
      expect((await storedCard(env, cardId)).operation?.message).toBe('Operation terminated');
    }, 30_000);
  });
});
