import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../../sandbox/fake-argocd/index.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { appReads, approveAsAlice, requestTime, syncPosts } from './support/argocd-requests.js';
import { APP_PATH, pushAndWaitForPendingCard, settle, waitForCardText } from './support/cards.js';

// The click under a slow Argo CD runs over both transports (acks within Slack's 3 s either way); the
// read retries involve no Slack request at all and run once, over HTTP.
describe.each(SLACK_TRANSPORTS)('Argo CD read faults over %s', (slackTransport) => {
  describe('Argo CD faults on reads: retried with backoff and jitter', () => {
    let env: WorldWithBot;
    beforeAll(async () => {
      env = await startWorldWithBot({ slackTransport });
    });
    afterAll(async () => {
      await env?.stop();
    });

    if (slackTransport === 'http') {
      it('two 503s on reading the app: retried with growing, jittered waits, and the card still posts', async () => {
        const from = env.world.argocd.requests.length;
        env.world.argocd.failNext({ method: 'GET', pathPrefix: APP_PATH, status: 503, times: 2 });
        await pushAndWaitForPendingCard(env.world);
        const reads = appReads(env.world.argocd.requests.slice(from));
        expect(reads.slice(0, 3).map((r) => r.status)).toEqual([503, 503, 200]);
        const [a, b, c] = reads as [RecordedRequest, RecordedRequest, RecordedRequest];
        // Backoff base 200 ms with full jitter around it: 1st wait in [100, 300], 2nd in [200, 600] (+ slack).
        expect(requestTime(b) - requestTime(a)).toBeGreaterThanOrEqual(90);
        expect(requestTime(b) - requestTime(a)).toBeLessThan(450);
        expect(requestTime(c) - requestTime(b)).toBeGreaterThanOrEqual(190);
        expect(requestTime(c) - requestTime(b)).toBeLessThan(800);
      });

      it('a read that times out is retried and the card still posts', async () => {
        const from = env.world.argocd.requests.length;
        // The bot's Argo CD timeout is 3 s in the tests; this answer comes after 3.5 s.
        env.world.argocd.failNext({ method: 'GET', pathPrefix: APP_PATH, status: 200, delayMs: 3500 });
        await pushAndWaitForPendingCard(env.world, {}, { timeoutMs: 15_000 });
        // The fake records the slow answer only when it finally sends it, which may be after the card is out.
        const reads = await eventually(() => {
          const found = appReads(env.world.argocd.requests.slice(from));
          return found.some((r) => r.injectedFault) ? found : undefined;
        });
        expect(reads.length).toBeGreaterThanOrEqual(2);
        expect(reads.find((r) => r.injectedFault)).toBeDefined();
      }, 30_000);
    }

    it('slow Argo CD (1.5 s per call): the click is acknowledged within Slack’s 3 s and the deploy completes', async () => {
      const card = await pushAndWaitForPendingCard(env.world);
      await settle(env.bot);
      env.world.argocd.setLatency(1500);
      try {
        const started = Date.now();
        const click = await approveAsAlice(env.world, card.ts);
        expect(click.status).toBe(200);
        expect(Date.now() - started).toBeLessThan(3000);
        await waitForCardText(env.world, card.ts, /was deployed/, 25_000);
      } finally {
        env.world.argocd.setLatency(0);
      }
      expect(
        syncPosts(env.world).filter((r) => (r.body as { revision?: string }).revision === card.sha),
      ).toHaveLength(1);
    }, 40_000);
  });
});
