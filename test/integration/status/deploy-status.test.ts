import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, PEOPLE } from '../../../sandbox/world/seed.js';
import { storeKeys } from '../../../src/store/keys.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { appsShown, askStatus, hasNextButton, readAnswer } from './ask-status.js';

describe.each(SLACK_TRANSPORTS)('deploy-status over %s', (slackTransport) => {
  let env: WorldWithBot;
  let pushed: string;

  beforeAll(async () => {
    env = await startWorldWithBot({ slackTransport });
    // Dave merges a change: event-ingestion-prod gets a pending card, kafka-prod syncs itself.
    pushed = await env.world.pushCommit({ author: 'dave', message: 'Batch inserts into ClickHouse' });
    await eventually(() =>
      env.world.slack
        .channelMessages(CHANNELS.prodDeploys.id)
        .find((m) => m.text.includes(pushed.slice(0, 7)) && readAnswer(m).includes('deploy_approve_sync')),
    );
  });
  afterAll(async () => {
    await env?.stop();
  });

  describe('/deploy-status', () => {
    it('shows every app with sync, health, deployed revision and images; problems first', async () => {
      const answer = await askStatus(env.world, PEOPLE.alice.id, '');
      const shown = appsShown(answer);
      expect(shown.sort()).toEqual([
        'event-ingestion-dev',
        'event-ingestion-prod',
        'kafka-dev',
        'kafka-prod',
      ]);
      // The app waiting for approval comes first.
      expect(appsShown(answer)[0]).toBe('event-ingestion-prod');
      const text = readAnswer(answer);
      expect(text).toMatch(/waiting for approval/);
      expect(text).toContain(pushed.slice(0, 7));
      expect(text).toMatch(/event-consumer:1\.4\.\d/);
      expect(text).toContain('OutOfSync');
      expect(hasNextButton(answer)).toBe(false);
      expect(answer.text.length).toBeLessThanOrEqual(3000);
    });

    it('links the pending card (chat permalink) and names its approvals', async () => {
      const answer = await askStatus(env.world, PEOPLE.alice.id, 'prod');
      expect(appsShown(answer).sort()).toEqual(['event-ingestion-prod', 'kafka-prod']);
      const text = readAnswer(answer);
      expect(text).toMatch(/\/archives\/C0PRODDEPLOYS\/p\d+\|Waiting for approval>/);
      expect(text).toContain('0 of 1 approvals');
      // Small answers ask Argo CD for the commit subject of what is deployed.
      expect(text).toContain('Tune consumer batch size for peak hours');
    });

    it('filters by app glob and by project', async () => {
      const glob = await askStatus(env.world, PEOPLE.alice.id, 'event-*');
      expect(appsShown(glob).sort()).toEqual(['event-ingestion-dev', 'event-ingestion-prod']);
      env.world.argocd.addApp({ name: 'billing-dev', project: 'payments', revision: 'a'.repeat(40) });
      const project = await askStatus(env.world, PEOPLE.alice.id, 'payments');
      expect(appsShown(project)).toEqual(['billing-dev']);
      const none = await askStatus(env.world, PEOPLE.alice.id, 'nothing-*');
      expect(readAnswer(none)).toContain('No applications match');
    });

    it('mine: the apps whose pending or last deploy holds a commit of the asker', async () => {
      const dave = await askStatus(env.world, PEOPLE.dave.id, 'mine');
      expect(appsShown(dave)).toContain('event-ingestion-prod');
      expect(appsShown(dave)).not.toContain('kafka-dev');
      const bob = await askStatus(env.world, PEOPLE.bob.id, 'mine');
      expect(appsShown(bob)).toEqual([]);
    });

    it('audit: the last entries for an app, newest first', async () => {
      const card = env.world.slack
        .channelMessages(CHANNELS.prodDeploys.id)
        .find((m) => m.text.includes(pushed.slice(0, 7)) && readAnswer(m).includes('deploy_approve_sync'))!;
      await env.world.slack.clickButton({
        user: PEOPLE.dave.id,
        channel: CHANNELS.prodDeploys.id,
        ts: card.ts,
        actionId: 'deploy_approve_sync',
      });
      // Refusals are kept in their own log, apart from the decisions.
      await eventually(
        async () => (await env.bot.store.readDenials({ app: 'event-ingestion-prod', limit: 5 })).length > 0,
      );
      const answer = await askStatus(env.world, PEOPLE.carol.id, 'audit event-ingestion-prod');
      const text = readAnswer(answer);
      expect(text).toContain('Audit: event-ingestion-prod');
      expect(text).toMatch(/\*approve\* refused/);
      expect(text).toContain('<@U0DAVE>');
      const empty = await askStatus(env.world, PEOPLE.carol.id, 'audit kafka-dev');
      expect(readAnswer(empty)).toContain('No audit entries');
    });

    it('never fails: Argo CD down gives a plain "try again" answer', async () => {
      env.world.argocd.failNext({ method: 'GET', pathPrefix: '/api/v1/applications', status: 503, times: 8 });
      const answer = await askStatus(env.world, PEOPLE.carol.id, 'kafka-*');
      expect(readAnswer(answer)).toContain('could not read the deploy status right now');
      expect(readAnswer(answer)).toContain('Argo CD');
    });

    it('help, and a friendly usage note for a malformed query', async () => {
      const help = await askStatus(env.world, PEOPLE.carol.id, 'help');
      expect(readAnswer(help)).toContain('/deploy-status audit');
      const bad = await askStatus(env.world, PEOPLE.carol.id, 'audit');
      expect(readAnswer(bad)).toContain('takes one application name');
    });

    it('rate-limits each user to 10 answers a minute, with a friendly message', async () => {
      const user = PEOPLE.bob.id;
      const queries = [
        'kafka-*',
        'event-*',
        'dev',
        'prod',
        'gamemetrics',
        '*-dev',
        '*-prod',
        'kafka-dev',
        'kafka-prod',
        'x-*',
      ];
      // The limit counts per clock minute: start early in one so that every question below shares it, and
      // count the questions bob already asked in it (his 'mine' above may or may not be in this minute).
      const intoMinute = Date.now() % 60_000;
      if (intoMinute > 45_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 50));
      const windowIndex = Math.floor(Date.now() / 60_000);
      const used = (await env.bot.store.get<number>(storeKeys.statusRate(user, windowIndex)))?.value ?? 0;
      expect(used).toBeLessThan(2);
      for (const q of queries.slice(0, 10 - used)) {
        const ok = await askStatus(env.world, user, q);
        expect(readAnswer(ok)).not.toContain('status questions in a minute');
      }
      const limited = await askStatus(env.world, user, 'kafka-?');
      expect(readAnswer(limited)).toContain('more than 10 status questions in a minute');
      // Help never counts.
      const help = await askStatus(env.world, user, 'help');
      expect(readAnswer(help)).toContain('/deploy-status mine');
    }, 90_000);
  });
});
