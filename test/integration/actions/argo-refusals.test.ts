import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  actionIds,
  auditOf,
  cardIdOf,
  ephemeralTexts,
  latest,
  PROD,
  PROD_APP,
  storedCard,
  textOf,
  threadText,
  waitForCard,
} from './helpers.js';

describe.each(SLACK_TRANSPORTS)('Argo CD refusals over %s', (slackTransport) => {
  let env: WorldWithBot;
  beforeAll(async () => {
    env = await startWorldWithBot({ slackTransport });
  });
  afterAll(async () => {
    await env?.stop();
  });

  const SYNC_PATH = `/api/v1/applications/${PROD_APP}/sync`;

  const click = (user: string, ts: string, actionId: string) =>
    env.world.slack.clickButton({ user, channel: PROD, ts, actionId });

  /** A new revision, approved by Alice; resolves once the card has left "approved". */
  async function approveNewRevision(message: string) {
    const { world } = env;
    const sha = await world.pushCommit({ author: 'dave', message });
    const card = await waitForCard(world, PROD, sha);
    const cardId = cardIdOf(card);
    world.argocd.clearRequests();
    await click('U0ALICE', card.ts, 'deploy_approve_sync');
    await eventually(async () => !['pending', 'approved'].includes((await storedCard(env, cardId)).state));
    return { sha, card, cardId };
  }

  async function waitForFailedCardWithRetry(ts: string, text: string | RegExp) {
    return eventually(() => {
      const message = latest(env.world, PROD, ts);
      const shown = textOf(message);
      const matches = typeof text === 'string' ? shown.includes(text) : text.test(shown);
      return matches && actionIds(message).includes('deploy_retry') ? message : undefined;
    });
  }

  describe('a sync that fails, then a Retry', () => {
    it('shows Argo CD’s message with a Retry button, and an approver’s Retry deploys the same revision', async () => {
      const { world } = env;
      world.argocd.failNextSync(PROD_APP, 'Deployment.apps "event-consumer" is invalid: spec.replicas: -1');
      const { sha, card, cardId } = await approveNewRevision('Scale consumers');
      await waitForFailedCardWithRetry(card.ts, 'spec.replicas: -1');
      expect(textOf(latest(world, PROD, card.ts))).toContain('*Sync failed*');
      await eventually(() =>
        /Sync of `[0-9a-f]{7}` failed: .*spec\.replicas: -1/.test(threadText(world, PROD, card.ts)),
      );

      await click('U0DAVE', card.ts, 'deploy_retry');
      await eventually(() => ephemeralTexts(world, 'U0DAVE').some((t) => /Not allowed.*retry/.test(t)));
      expect(world.argocd.syncRequests()).toHaveLength(1);

      await click('U0BOB', card.ts, 'deploy_retry');
      await eventually(async () => (await storedCard(env, cardId)).state === 'succeeded');
      const syncs = world.argocd.syncRequests();
      expect(syncs).toHaveLength(2);
      expect(syncs.map((s) => (s.body as { revision?: string }).revision)).toEqual([sha, sha]);
      await eventually(() => textOf(latest(world, PROD, card.ts)).includes('*Deployed*'));
      await eventually(() =>
        /Retry: sync of `[0-9a-f]{7}` started, approved by <@U0ALICE>/.test(threadText(world, PROD, card.ts)),
      );
      const audit = (await auditOf(env, cardId)).map((e) => `${e.action}:${e.outcome}:${e.user ?? ''}`);
      expect(audit).toEqual([
        'approve:allowed:U0ALICE',
        'sync-started:started:U0ALICE',
        'retry:denied:U0DAVE',
        'retry:allowed:U0BOB',
        'sync-started:started:U0ALICE',
      ]);
    });
  });

  describe('Argo CD refusals, in plain words on the card', () => {
    it('"another operation is already in progress"', async () => {
      const { world } = env;
      world.argocd.failNext({
        method: 'POST',
        pathPrefix: SYNC_PATH,
        status: 400,
        body: {
          error: 'another operation is already in progress',
          code: 9,
          message: 'another operation is already in progress',
        },
      });
      const { card, cardId } = await approveNewRevision('Refused: operation in progress');
      await waitForFailedCardWithRetry(card.ts, 'another operation is already in progress');
      expect((await storedCard(env, cardId)).operation?.message).toBe(
        'Argo CD refused: "another operation is already in progress".',
      );
      await eventually(() =>
        /another operation is already in progress/.test(threadText(world, PROD, card.ts)),
      );
      const audit = await auditOf(env, cardId);
      expect(audit.at(-1)).toMatchObject({ action: 'sync', outcome: 'refused' });
      expect(audit.some((e) => e.action === 'sync-started')).toBe(false);
    });

    it('a sync window that blocks manual syncs, named as such; Retry works once it is lifted', async () => {
      const { world } = env;
      world.argocd.setSyncWindows(PROD_APP, [
        { kind: 'deny', schedule: '* * * * *', duration: '1h', manualSync: false },
      ]);
      const { card, cardId } = await approveNewRevision('Refused: sync window');
      const shown = await waitForFailedCardWithRetry(card.ts, 'sync window blocks manual syncs');
      expect(textOf(shown)).toContain('deny * * * * * for 1h');
      expect(textOf(shown)).toContain('cannot sync: blocked by sync window');

      world.argocd.setSyncWindows(PROD_APP, []);
      await click('U0ALICE', card.ts, 'deploy_retry');
      await eventually(async () => (await storedCard(env, cardId)).state === 'succeeded');
    });

    it('permission denied (403): the operator is told what to fix', async () => {
      const { world } = env;
      const denied =
        'permission denied: applications, sync, gamemetrics/event-ingestion-prod, sub: deploybot';
      world.argocd.failNext({
        method: 'POST',
        pathPrefix: SYNC_PATH,
        status: 403,
        body: { error: denied, code: 7, message: denied },
      });
      const { card } = await approveNewRevision('Refused: RBAC');
      const shown = await waitForFailedCardWithRetry(card.ts, 'lacks the permission');
      expect(textOf(shown)).toContain("Argo CD's RBAC");
      expect(textOf(shown)).toContain(denied);
      await eventually(() => threadText(world, PROD, card.ts).includes('lacks the permission'));
    });
  });
});
