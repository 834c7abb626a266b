import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../sandbox/world/seed.js';
import { WORLD_SECRETS } from '../../../sandbox/world/start-world.js';
import { CardRepository } from '../../../src/cards/card-repository.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { startTestBot, type TestBot } from '../../helpers/start-test-bot.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { approveProdCard } from '../deployments/approve-prod-card.js';

const releases = (env: WorldWithBot) => env.world.slack.channelMessages(CHANNELS.releases.id);
const releasesOf = (env: WorldWithBot, app: string, sha: string) =>
  releases(env).filter(
    (m) => m.text.startsWith(`🚀 ${app} `) && JSON.stringify(m.blocks).includes(sha.slice(0, 7)),
  );
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(SLACK_TRANSPORTS)('release announcements over %s', (slackTransport) => {
  describe('release announcements, one bot', () => {
    let env: WorldWithBot;
    beforeAll(async () => {
      env = await startWorldWithBot({ slackTransport });
    });
    afterAll(async () => {
      await env?.stop();
    });

    it('an approved prod deploy is announced once, with the changelog, the approver and the card link', async () => {
      const sha = await env.world.pushCommit({ author: 'dave', message: 'Batch inserts into ClickHouse' });
      const ts = await approveProdCard(env, sha);
      const [post] = await eventually(() => {
        const found = releasesOf(env, 'event-ingestion-prod', sha);
        return found.length > 0 ? found : undefined;
      });
      const text = JSON.stringify(post!.blocks);
      expect(post!.text).toContain('released to prod');
      expect(text).toContain('🚀 event-ingestion-prod released to prod');
      expect(text).toContain('<@U0ALICE>');
      expect(text).toContain('Batch inserts into ClickHouse');
      expect(text).toContain('<@U0DAVE>');
      expect(text).toContain(
        `/archives/${CHANNELS.prodDeploys.id}/p${ts.replace('.', '')}|Deploy card and audit thread`,
      );
      expect(text).toContain('event-consumer');
      await sleep(500);
      expect(releasesOf(env, 'event-ingestion-prod', sha)).toHaveLength(1);
    });

    it('an auto-synced prod app (kafka-prod) is announced too; dev apps never are', async () => {
      const sha = env.world.headOf('main');
      await eventually(() => releasesOf(env, 'kafka-prod', sha).length === 1);
      const before = releases(env).length;
      await env.world.pushCommit({ author: 'carol', branch: 'develop', message: 'Dev only' });
      const dev = env.world.headOf('develop');
      await eventually(
        () =>
          env.world.slack
            .channelMessages(CHANNELS.deploys.id)
            .filter((m) => m.text.includes(dev.slice(0, 7)) && /deployed/.test(m.text)).length === 2,
      );
      await sleep(300);
      expect(releases(env)).toHaveLength(before);
    });

    it('a re-sent notification does not announce again', async () => {
      const sha = env.world.headOf('main');
      await env.world.argocd.resendLast('event-ingestion-prod');
      await env.world.argocd.resendLast('kafka-prod');
      await env.world.argocd.whenNotificationsIdle();
      await sleep(500);
      expect(releasesOf(env, 'event-ingestion-prod', sha)).toHaveLength(1);
      expect(releasesOf(env, 'kafka-prod', sha)).toHaveLength(1);
    });
  });

  describe('release announcements, two replicas sharing a store, duplicated notifications', () => {
    let env: WorldWithBot;
    let second: TestBot;
    let forwarder: NodeJS.Timeout | undefined;
    const prefix = `test:${randomUUID()}:`;

    beforeAll(async () => {
      env = await startWorldWithBot({ slackTransport }, { prefix });
      second = await startTestBot({ prefix, env: env.world.env, policy: env.world.policyYaml, port: 0 });
      env.world.argocd.duplicateNotifications(true);
      // Argo CD sends to one URL; the load balancer in front of the replicas is played by this forwarder.
      let forwarded = 0;
      forwarder = setInterval(() => {
        const sent = env.world.argocd.sentNotifications;
        for (; forwarded < sent.length; forwarded++) {
          const body = sent[forwarded]!.body;
          void fetch(`${second.url}/argocd/events`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${WORLD_SECRETS.ARGOCD_WEBHOOK_SECRET}`,
            },
            body: JSON.stringify(body),
          }).catch(() => {});
        }
      }, 10);
    });
    afterAll(async () => {
      if (forwarder) clearInterval(forwarder);
      await second?.stop();
      await env?.stop();
    });

    it('each prod release is announced exactly once', async () => {
      const sha = await env.world.pushCommit({ author: 'dave', message: 'Replica-safe release' });
      await approveProdCard(env, sha);
      await eventually(
        () =>
          releasesOf(env, 'event-ingestion-prod', sha).length > 0 &&
          releasesOf(env, 'kafka-prod', sha).length > 0,
        {
          timeoutMs: 15_000,
        },
      );
      await env.world.argocd.whenNotificationsIdle();
      await sleep(1000);
      expect(releasesOf(env, 'event-ingestion-prod', sha)).toHaveLength(1);
      expect(releasesOf(env, 'kafka-prod', sha)).toHaveLength(1);
    });

    it('two replicas racing on the same card: the claim lets exactly one post', async () => {
      const sha = env.world.headOf('main');
      const repo = new CardRepository(env.bot.store);
      const card = (await repo.findByRevision(
        { instance: 'default', namespace: 'argocd', name: 'event-ingestion-prod' },
        sha,
      ))!;
      expect(card.announced).toBe(true);
      // As if the claim had never been taken (a transition re-emitted on both replicas at once).
      await repo.update(card.id, (c) => ({ ...c, announced: false }));
      const before = releasesOf(env, 'event-ingestion-prod', sha).length;
      const outcomes = await Promise.all([
        env.bot.bot.features.releases.announce(card.id),
        second.bot.features.releases.announce(card.id),
        env.bot.bot.features.releases.announce(card.id),
      ]);
      expect(outcomes.sort()).toEqual(['already-announced', 'already-announced', 'posted']);
      expect(releasesOf(env, 'event-ingestion-prod', sha)).toHaveLength(before + 1);
    });
  });
});
