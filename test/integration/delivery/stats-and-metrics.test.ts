import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, PEOPLE } from '../../../sandbox/world/seed.js';
import type { DeployRecord } from '../../../src/domain/deploy-record.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { approveProdCard } from '../deployments/approve-prod-card.js';
import { askStatus, readAnswer } from '../status/ask-status.js';

const H = 3_600_000;
const DAY = 24 * H;

describe.each(SLACK_TRANSPORTS)('delivery stats and metrics over %s', (slackTransport) => {
  describe('delivery stats and metrics, real bot, real Redis, fakes over HTTP', () => {
    let env: WorldWithBot;
    beforeAll(async () => {
      env = await startWorldWithBot({ slackTransport });
    });
    afterAll(async () => {
      await env?.stop();
    });

    it('answers `stats` over a signed slash command from a seeded history, numbers checked by hand', async () => {
      const now = Date.now();
      let n = 0;
      const rec = (
        app: string,
        result: DeployRecord['result'],
        daysAgo: number,
        extra: Partial<DeployRecord> = {},
      ) => {
        n++;
        const at = now - daysAgo * DAY;
        return {
          id: `seed${n}:${result}`,
          cardId: `seed${n}`,
          instance: 'default',
          environment: 'prod',
          app,
          revision: `${n}`.padStart(40, 'a'),
          result,
          at,
          ...extra,
        } satisfies DeployRecord;
      };
      const history: DeployRecord[] = [
        // payments-prod: 4 deploys in the last 7 days; one rolled back (restored 2h later), lead times 1h 2h 3h 10h
        rec('payments-prod', 'succeeded', 6, {
          firstCommitAt: now - 6 * DAY - 1 * H,
          postedAt: now - 6 * DAY - 0.5 * H,
          approvedAt: now - 6 * DAY - 0.25 * H,
        }),
        rec('payments-prod', 'succeeded', 5, {
          firstCommitAt: now - 5 * DAY - 2 * H,
          postedAt: now - 5 * DAY - 1 * H,
          approvedAt: now - 5 * DAY - 0.5 * H,
        }),
        rec('payments-prod', 'rolled-back', 5 - 1 / 24),
        rec('payments-prod', 'succeeded', 5 - 3 / 24, {
          firstCommitAt: now - 5 * DAY,
          postedAt: now - 5 * DAY + 0.5 * H,
          approvedAt: now - 5 * DAY + 1.5 * H,
        }),
        rec('payments-prod', 'succeeded', 2, { firstCommitAt: now - 2 * DAY - 10 * H }),
        // search-prod: a failed sync never restored, 20 days ago (outside 7d, inside 30d)
        rec('search-prod', 'succeeded', 21, { firstCommitAt: now - 21 * DAY - 4 * H }),
        rec('search-prod', 'failed', 20),
        rec('search-prod', 'succeeded', 60),
        rec('web-dev', 'succeeded', 1, { environment: 'dev' }),
      ];
      for (const record of history) await env.bot.bot.features.delivery.records.add(record);

      const week = await askStatus(env.world, PEOPLE.dave.id, 'stats prod 7d');
      const text = readAnswer(week);
      expect(week.text).toContain('Delivery stats: prod, last 7 days');
      expect(text).toContain('*prod* — 4 deploys (0.6/day)');
      // lead times 1h, 2h, 3h, 10h: median (nearest rank) 2h, p90 10h
      expect(text).toContain('Lead time for changes: median 2h · p90 10h (4 deploys)');
      // the second deploy was followed by the rollback: 1 of 4
      expect(text).toContain('Change failure rate: 25% (1 of 4)');
      expect(text).toContain('Time to restore: median 2h (1 restored)');
      // approval waits 15m, 30m, 1h: median 30m
      expect(text).toContain('Approval wait: median 30m');
      expect(text).toMatch(/`[▁▂▃▄▅▆▇█]{7}`/);
      expect(text).not.toContain('web-dev');

      const month = readAnswer(await askStatus(env.world, PEOPLE.dave.id, 'stats prod'));
      expect(month).toContain('last 30 days');
      expect(month).toContain('*prod* — 5 deploys');
      expect(month).toContain('Change failure rate: 40% (2 of 5)');
      expect(month).toContain('1 not restored yet');

      const perApp = readAnswer(await askStatus(env.world, PEOPLE.dave.id, 'stats 90d search-*'));
      expect(perApp).toContain('*search-prod (prod)* — 2 deploys');
      expect(perApp).not.toContain('payments-prod');

      const all = readAnswer(await askStatus(env.world, PEOPLE.dave.id, 'stats'));
      expect(all).toContain('all environments');
      expect(all).toContain('*prod* —');
      expect(all).toContain('*dev* — 1 deploy (0.0/day)');

      for (const bad of [
        'stats nosuch-env',
        'stats prod 14d',
        'stats prod 7d 30d',
        'stats a b c',
        'notify maybe',
      ]) {
        const answer = await askStatus(env.world, PEOPLE.dave.id, bad);
        expect(readAnswer(answer), bad).toContain('/deploy-status stats');
      }
    });

    it('/metrics counts a deploy and a rollback; every PromQL expression of the Grafana dashboard names only metrics it exposes', async () => {
      const sha = await env.world.pushCommit({ author: 'dave', message: 'Metrics change' });
      const ts = await approveProdCard(env, sha);
      await eventually(
        () =>
          env.world.slack
            .channelMessages(CHANNELS.prodDeploys.id)
            .find((m) => m.ts === ts && JSON.stringify(m.blocks).includes('deploy_rollback')),
        { timeoutMs: 15_000 },
      );
      await env.world.slack.clickButton({
        user: PEOPLE.bob.id,
        channel: CHANNELS.prodDeploys.id,
        ts,
        actionId: 'deploy_rollback',
      });
      const metrics = await eventually(
        async () => {
          const body = await (await fetch(`${env.bot.url}/metrics`)).text();
          return /deploybot_rollbacks_total\{[^}]*app="event-ingestion-prod"[^}]*\} 1/.test(body)
            ? body
            : undefined;
        },
        { timeoutMs: 15_000 },
      );
      expect(metrics).toMatch(
        /deploybot_deploys_total\{instance="default",environment="prod",app="event-ingestion-prod",result="succeeded"\} 1/,
      );
      expect(metrics).toMatch(
        /deploybot_lead_time_seconds_count\{instance="default",environment="prod"\} [1-9]/,
      );
      expect(metrics).toMatch(
        /deploybot_approval_wait_seconds_count\{instance="default",environment="prod"\} 1/,
      );
      expect(metrics).toContain('# TYPE deploybot_time_to_restore_seconds histogram');

      // Every metric family /metrics declares, with the series names a histogram adds.
      const exposed = new Set<string>();
      for (const [, name, type] of metrics.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
        exposed.add(name!);
        if (type === 'histogram')
          for (const suffix of ['_bucket', '_sum', '_count']) exposed.add(name + suffix);
      }
      const dashboard = JSON.parse(readFileSync('k8s/examples/grafana-dashboard.json', 'utf8')) as {
        panels: { title: string; targets: { expr: string }[] }[];
        templating: { list: { query?: unknown }[] };
      };
      const expressions = [
        ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
        ...dashboard.templating.list
          .map((v) => v.query)
          .filter((q): q is string => typeof q === 'string' && q.includes('(')),
      ];
      const titles = dashboard.panels.map((p) => p.title).join(' | ');
      for (const wanted of [
        'Deploy frequency',
        'Lead time',
        'Change failure rate',
        'Time to restore',
        'Approval wait',
      ])
        expect(titles).toContain(wanted);
      expect(expressions.length).toBeGreaterThanOrEqual(8);
      for (const expr of expressions) {
        const names = expr.match(/\bdeploybot_[a-z_]+\b/g) ?? [];
        expect(names.length, expr).toBeGreaterThan(0);
        for (const name of names) expect(exposed, `${name} in ${expr}`).toContain(name);
        expect(expr, 'grouped per environment').toMatch(/environment/);
      }
    });
  });
});
