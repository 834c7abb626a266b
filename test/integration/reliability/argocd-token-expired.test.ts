import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE } from '../../../sandbox/world/seed.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { approveAsAlice, syncPosts } from './support/argocd-requests.js';
import { cardMessage, pushAndWaitForPendingCard, settle } from './support/cards.js';

describe.each(SLACK_TRANSPORTS)('Argo CD token expired over %s', (slackTransport) => {
  describe('Argo CD rejects the token (expired)', () => {
    let env: WorldWithBot;
    beforeAll(async () => {
      env = await startWorldWithBot({ slackTransport });
    });
    afterAll(async () => {
      await env?.stop();
    });

    it('a clear card message and an error log; no retry storm', async () => {
      const card = await pushAndWaitForPendingCard(env.world);
      await settle(env.bot);
      // From now on every call is refused with 401, as when the token has expired.
      env.world.argocd.failNext({ status: 401, times: 100_000 });
      const from = env.world.argocd.requests.length;
      const logsFrom = env.bot.logs.length;
      expect((await approveAsAlice(env.world, card.ts)).status).toBe(200);
      const refused = await eventually(() => {
        const message = cardMessage(env.world, card.ts);
        return /ARGOCD_TOKEN/.test(JSON.stringify(message.blocks)) ? message : undefined;
      });
      expect(refused.text).toMatch(/token/i);
      const alice = env.world.slack.ephemerals({ user: PEOPLE.alice.id }).at(-1);
      expect(alice?.text).toMatch(/ARGOCD_TOKEN/);
      // Operators learn it from the logs too, not only from whoever clicked.
      const errors = () =>
        env.bot.logs
          .slice(logsFrom)
          .map((line) => JSON.parse(line) as { level: number; msg: string; err?: { message?: string } })
          .filter((l) => l.level >= 50)
          .map((e) => `${e.msg} ${e.err?.message ?? ''}`)
          .join('\n');
      await new Promise((r) => setTimeout(r, 1000));
      const errorsAfterClick = errors();

      // An Argo CD notification arrives meanwhile: the bot reads once, fails, and does not hammer.
      await env.world.argocd.sendNotification('on-health-degraded', 'event-ingestion-prod');
      await new Promise((r) => setTimeout(r, 3000));
      const calls = env.world.argocd.requests.slice(from);
      expect(calls.every((r) => r.status === 401)).toBe(true);
      // One read for the click, one for the notification; 401 is not retried.
      expect(calls.length).toBeLessThanOrEqual(4);
      expect(syncPosts(env.world)).toHaveLength(0);
      expect(errorsAfterClick, 'an error-level log line about the rejected token').toMatch(
        /token|401|unauth/i,
      );
    }, 30_000);
  });
});
