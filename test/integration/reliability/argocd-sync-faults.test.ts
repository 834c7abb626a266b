import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { appReads, approveAsAlice, syncPosts } from './support/argocd-requests.js';
import {
  buttonValue,
  cardMessage,
  type PostedCard,
  pushAndWaitForPendingCard,
  SYNC_PATH,
  settle,
  waitForCardText,
} from './support/cards.js';

// Every case starts with a press, but what differs is Argo CD's side: one (a refusal shown to people)
// runs over both transports, the other sync faults once over HTTP (4 × 8 s doubled would show nothing new).
describe.each(SLACK_TRANSPORTS)('Argo CD sync faults over %s', (slackTransport) => {
  describe('Argo CD faults on the sync: never blindly retried', () => {
    let env: WorldWithBot;
    beforeAll(async () => {
      env = await startWorldWithBot({ slackTransport });
      // After an ambiguous failure the bot watches the app for 45 s before it offers Retry; 3 s here.
      env.bot.bot.features.follower.landingWindowMs = 3000;
    });
    afterAll(async () => {
      await env?.stop();
    });

    async function ambiguousSync(fault: Parameters<WorldWithBot['world']['argocd']['failNext']>[0]) {
      const card = await pushAndWaitForPendingCard(env.world);
      await settle(env.bot);
      const from = env.world.argocd.requests.length;
      env.world.argocd.failNext(fault);
      expect((await approveAsAlice(env.world, card.ts)).status).toBe(200);
      const failed = await waitForCardText(env.world, card.ts, /failed to sync/);
      await new Promise((r) => setTimeout(r, 1500));
      const after = env.world.argocd.requests.slice(from);
      const posts = after.filter((r) => r.method === 'POST' && r.path === SYNC_PATH);
      expect(posts, 'exactly one sync request').toHaveLength(1);
      const postIndex = after.indexOf(posts[0]!);
      // The bot kept looking at the app after the failed call, over its window, to learn whether the
      // sync had started (reads at about 0.5, 1.5 and 3 s of the 3 s window).
      expect(appReads(after.slice(postIndex + 1)).length).toBeGreaterThanOrEqual(3);
      // The card offers a deliberate Retry instead of retrying by itself.
      expect(buttonValue(failed, 'deploy_retry')).toBeDefined();
      return { card, failed };
    }

    if (slackTransport === 'http') {
      it('the connection drops on the sync: one request, then reads over the look-out window; the card says nothing started', async () => {
        const { failed } = await ambiguousSync({
          method: 'POST',
          pathPrefix: SYNC_PATH,
          dropConnection: true,
        });
        expect(failed.text).toMatch(/unreachable|nothing/i);
      });

      it('a 502 on the sync: one request, then reads over the look-out window; no retry', async () => {
        await ambiguousSync({ method: 'POST', pathPrefix: SYNC_PATH, status: 502 });
      });

      it('a 502 on a sync that Argo CD carries out a moment later: no Retry offered, one request, deployed', async () => {
        const card = await pushAndWaitForPendingCard(env.world);
        await settle(env.bot);
        const before = syncPosts(env.world).length;
        // The answer is lost (a proxy gave up), but the API server applies the sync 1.5 s later.
        env.world.argocd.failNext({ method: 'POST', pathPrefix: SYNC_PATH, status: 502, applyAfterMs: 1500 });
        expect((await approveAsAlice(env.world, card.ts)).status).toBe(200);
        await waitForCardText(env.world, card.ts, /was deployed/, 20_000);
        await new Promise((r) => setTimeout(r, 1000));
        expect(syncPosts(env.world)).toHaveLength(before + 1);
        // Never failed on the way (a failed card offers Retry, and Retry would sync a second time).
        const audit = await env.bot.store.readAudit({ app: 'event-ingestion-prod', limit: 500 });
        const mine = audit.filter((e) => e.cardId === card.cardId).map((e) => `${e.action}:${e.outcome}`);
        expect(mine.reverse()).toEqual(['approve:allowed', 'sync-started:started']);
        const updates = env.world.slack.callsTo('chat.update').filter((c) => c.args.ts === card.ts);
        expect(updates.some((c) => JSON.stringify(c.args).includes('deploy_retry'))).toBe(false);
      }, 30_000);
    }

    it('a 403 on the sync: refused with the reason on the card, no retry', async () => {
      const card = await pushAndWaitForPendingCard(env.world);
      await settle(env.bot);
      const before = syncPosts(env.world).length;
      env.world.argocd.failNext({ method: 'POST', pathPrefix: SYNC_PATH, status: 403 });
      expect((await approveAsAlice(env.world, card.ts)).status).toBe(200);
      const failed = await waitForCardText(env.world, card.ts, /failed to sync/);
      expect(failed.text).toMatch(/permission|RBAC/i);
      await new Promise((r) => setTimeout(r, 1500));
      expect(syncPosts(env.world)).toHaveLength(before + 1);
    });

    if (slackTransport === 'http') {
      it('the sync lands after the bot gave up waiting: no second sync, and the card ends deployed', async () => {
        const card: PostedCard = await pushAndWaitForPendingCard(env.world);
        await settle(env.bot);
        const before = syncPosts(env.world).length;
        const from = env.world.argocd.requests.length;
        // Slow down exactly the sync: its answer (and the sync itself) comes after the bot's 3 s timeout.
        // The pre-sync read is slowed a little so the latency can be raised while it is in flight.
        env.world.argocd.setLatency(1000);
        const click = approveAsAlice(env.world, card.ts);
        await eventually(() => appReads(env.world.argocd.requests.slice(from)).length > 0);
        env.world.argocd.setLatency(3300);
        await eventually(() => syncPosts(env.world).length === before + 1, { timeoutMs: 5000 });
        env.world.argocd.setLatency(0);
        expect((await click).status).toBe(200);
        await waitForCardText(env.world, card.ts, /was deployed/, 20_000);
        await new Promise((r) => setTimeout(r, 1000));
        expect(syncPosts(env.world)).toHaveLength(before + 1);
        expect(cardMessage(env.world, card.ts).text).toMatch(/was deployed/);
      }, 40_000);
    }
  });
});
