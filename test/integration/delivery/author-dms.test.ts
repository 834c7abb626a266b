import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, PEOPLE, POLICY_YAML } from '../../../sandbox/world/seed.js';
import { WORLD_SECRETS } from '../../../sandbox/world/start-world.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { startTestBot, type TestBot } from '../../helpers/start-test-bot.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { approveProdCard } from '../deployments/approve-prod-card.js';
import { askStatus } from '../status/ask-status.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Carol is left out of `people`: she is found by users.lookupByEmail, as an author nobody mapped by hand.
const POLICY = POLICY_YAML.replace(/ {2}- \{ slack: U0CAROL[^\n]*\n/, '');
const dmOf = (user: string) => `D${user.slice(1)}`;

describe.each(SLACK_TRANSPORTS)('author DMs over %s', (slackTransport) => {
  describe('author DMs: once per (user, card) across two replicas and a restart', () => {
    let env: WorldWithBot;
    let second: TestBot;
    let forwarder: NodeJS.Timeout | undefined;
    const prefix = `test:${randomUUID()}:`;
    let deployed = '';
    const cardState = async () =>
      (
        await env.bot.bot.features.cards.repo.findByRevision(
          { instance: 'default', namespace: 'argocd', name: 'event-ingestion-prod' },
          deployed,
        )
      )?.state;
    // kafka-prod auto-syncs the same commits (its own cards, its own DMs): these tests follow event-ingestion-prod.
    const dms = (user: string) =>
      env.world.slack
        .channelMessages(dmOf(user))
        .filter((m) => m.text.includes('event-ingestion-prod in prod'));

    const forwardTo = (bot: TestBot) => {
      let forwarded = env.world.argocd.sentNotifications.length;
      return setInterval(() => {
        const sent = env.world.argocd.sentNotifications;
        for (; forwarded < sent.length; forwarded++)
          void fetch(`${bot.url}/argocd/events`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${WORLD_SECRETS.ARGOCD_WEBHOOK_SECRET}`,
            },
            body: JSON.stringify(sent[forwarded]!.body),
          }).catch(() => {});
      }, 10);
    };

    beforeAll(async () => {
      env = await startWorldWithBot({ slackTransport }, { prefix, policy: POLICY });
      second = await startTestBot({ prefix, env: env.world.env, policy: POLICY, port: 0 });
      env.world.argocd.duplicateNotifications(true);
      forwarder = forwardTo(second);
    });
    afterAll(async () => {
      if (forwarder) clearInterval(forwarder);
      await second?.stop();
      await env?.stop();
    });

    it('each human author gets one DM with their commits, the approver and the card; bots, unmapped and opted-out authors none', async () => {
      const optOut = await askStatus(env.world, PEOPLE.bob.id, 'notify off');
      expect(optOut.text).toContain('no longer get DMs');
      await env.world.pushCommit({ author: 'dave', message: 'Batch inserts <!channel> & more' });
      await env.world.pushCommit({
        authorIdentity: {
          login: 'dependabot[bot]',
          name: 'dependabot[bot]',
          email: '49699333+dependabot[bot]@users.noreply.github.com',
        },
        message: 'Bump kafkajs from 2.2.3 to 2.2.4',
      });
      await env.world.pushCommit({
        authorIdentity: { login: 'eve-contractor', name: 'Eve Contractor', email: 'eve@contractor.example' },
        message: 'Unmapped change',
      });
      await env.world.pushCommit({ author: 'bob', message: 'Bob opted out' });
      await env.world.pushCommit({ author: 'carol', message: 'Carol by e-mail' });
      const sha = await env.world.pushCommit({ author: 'dave', message: 'Second change of dave' });
      deployed = sha;
      const ts = await approveProdCard(env, sha);

      const [daveDm] = await eventually(
        () => (dms(PEOPLE.dave.id).length > 0 ? dms(PEOPLE.dave.id) : undefined),
        {
          timeoutMs: 15_000,
        },
      );
      const text = JSON.stringify(daveDm!.blocks);
      expect(daveDm!.text).toContain('event-ingestion-prod in prod');
      expect(text).toContain('*event-ingestion-prod* in *prod*');
      expect(text).toContain('Second change of dave');
      expect(text).toContain('Batch inserts &lt;!channel&gt; &amp; more');
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('Carol by e-mail');
      expect(text).toContain('Approved by <@U0ALICE>');
      expect(text).toContain(`/archives/${CHANNELS.prodDeploys.id}/p${ts.replace('.', '')}|Deploy card`);
      await eventually(() => dms(PEOPLE.carol.id).length === 1);
      expect(JSON.stringify(dms(PEOPLE.carol.id)[0]!.blocks)).toContain('Carol by e-mail');

      await env.world.argocd.whenNotificationsIdle();
      await sleep(1000);
      expect(dms(PEOPLE.dave.id)).toHaveLength(1);
      expect(dms(PEOPLE.carol.id)).toHaveLength(1);
      expect(dms(PEOPLE.bob.id)).toHaveLength(0);
      // Nobody else was written to in private: not the bot, not the unmapped author.
      const opened = env.world.slack.callsTo('conversations.open').map((c) => c.args.users);
      expect([...new Set(opened)].sort()).toEqual([PEOPLE.carol.id, PEOPLE.dave.id]);
      expect(env.world.slack.channelMessages(dmOf(PEOPLE.bob.id))).toHaveLength(0);
    });

    it('a restarted replica that sees the deploy again sends nothing more', async () => {
      if (forwarder) clearInterval(forwarder);
      await second.stop();
      second = await startTestBot({ prefix, env: env.world.env, policy: POLICY, port: 0 });
      forwarder = forwardTo(second);
      await env.world.argocd.resendLast('event-ingestion-prod');
      await env.world.argocd.whenNotificationsIdle();
      await sleep(800);
      expect(dms(PEOPLE.dave.id)).toHaveLength(1);
      expect(dms(PEOPLE.carol.id)).toHaveLength(1);
    });

    it('a deploy that goes Degraded and recovers is no new deploy for its authors', async () => {
      // Bob turns DMs back on meanwhile: the old deploy is still not news for him.
      await askStatus(env.world, PEOPLE.bob.id, 'notify on');
      env.world.argocd.degrade('event-ingestion-prod', 'consumer crash-looping');
      await eventually(async () => (await cardState()) === 'degraded', { timeoutMs: 15_000 });
      env.world.argocd.setHealth('event-ingestion-prod', 'Healthy');
      // Argo CD sends no notification for a recovery; the reconciler's read is played by one refresh.
      await env.bot.bot.features.cards.refreshApp(
        { instance: 'default', namespace: 'argocd', name: 'event-ingestion-prod', project: 'gamemetrics' },
        { allowInfoCards: false },
      );
      await eventually(async () => (await cardState()) === 'succeeded', { timeoutMs: 15_000 });
      await env.world.argocd.whenNotificationsIdle();
      await sleep(1000);
      expect(dms(PEOPLE.bob.id)).toHaveLength(0);
      expect(dms(PEOPLE.dave.id)).toHaveLength(1);
      expect(dms(PEOPLE.carol.id)).toHaveLength(1);
    });

    it('notify on brings the DMs back for the next deploy', async () => {
      const sha = await env.world.pushCommit({ author: 'bob', message: 'Bob is back' });
      await approveProdCard(env, sha);
      await eventually(() => dms(PEOPLE.bob.id).length === 1, { timeoutMs: 15_000 });
      expect(JSON.stringify(dms(PEOPLE.bob.id)[0]!.blocks)).toContain('Bob is back');
    });
  });
});
