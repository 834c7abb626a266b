import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE, PROJECT } from '../../../sandbox/world/seed.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { appsShown, askStatus, hasNextButton, pressNext, readAnswer } from './ask-status.js';

describe.each(SLACK_TRANSPORTS)('/deploy-status with many apps over %s', (slackTransport) => {
  let env: WorldWithBot;

  function addApps(from: number, to: number) {
    for (let i = from; i < to; i++) {
      const prod = i % 10 === 0;
      env.world.argocd.addApp({
        name: `svc-${String(i).padStart(4, '0')}-${prod ? 'prod' : 'dev'}`,
        project: PROJECT,
        revision: i.toString(16).padStart(40, '0'),
        images: [`docker.io/gamemetrics/svc-${i}:1.0.${i}`],
        health: i % 97 === 5 ? 'Degraded' : 'Healthy',
      });
    }
  }

  /** Argo CD requests that are per-application (the answer must not make these for every app). */
  function perAppRequests() {
    return env.world.argocd.requests.filter((r) => /^\/api\/v1\/applications\/[^/]+(\/|$)/.test(r.path));
  }

  beforeAll(async () => {
    env = await startWorldWithBot({ slackTransport });
  });
  afterAll(async () => {
    await env?.stop();
  });

  describe('/deploy-status with many apps', () => {
    it('50 apps: a first page within the limits, counts per environment, and Next pages through all of them', async () => {
      addApps(0, 46);
      const first = await askStatus(env.world, PEOPLE.alice.id, '');
      expect(first.blocks!.length).toBeLessThanOrEqual(50);
      expect(first.text.length).toBeLessThanOrEqual(3000);
      expect(readAnswer(first)).toContain('By environment');
      expect(readAnswer(first)).toContain('Apps 1–20 of 50');
      expect(hasNextButton(first)).toBe(true);
      // Problems first: the degraded app leads the list.
      expect(appsShown(first)[0]).toBe('svc-0005-dev');

      const seen = [...appsShown(first)];
      let page = first;
      while (hasNextButton(page)) {
        page = await pressNext(env.world, page);
        seen.push(...appsShown(page));
      }
      expect(readAnswer(page)).toContain('End of the list.');
      expect(seen).toHaveLength(50);
      expect(new Set(seen).size).toBe(50);
    });

    it('the Next button carries only the query and the cursor', async () => {
      const answer = await askStatus(env.world, PEOPLE.bob.id, 'dev');
      const paging = answer.blocks!.find((b) => b.block_id === 'status_paging') as {
        elements: { value: string }[];
      };
      expect(JSON.parse(paging.elements[0]!.value)).toEqual({ q: 'dev', o: 20 });
    });

    it('2,000 apps: one list call, no per-app calls, every answer within the limits, problems first', async () => {
      addApps(46, 1996);
      env.world.argocd.clearRequests();
      const started = Date.now();
      const first = await askStatus(env.world, PEOPLE.carol.id, '*');
      const tookMs = Date.now() - started;
      expect(tookMs).toBeLessThan(10_000);
      expect(first.blocks!.length).toBeLessThanOrEqual(50);
      expect(first.text.length).toBeLessThanOrEqual(3000);
      const text = readAnswer(first);
      expect(text).toContain('Apps 1–20 of 2,000');
      expect(text).toMatch(/\*dev\* — 1,\d{3} apps · 🔴 \d+ degraded/);
      expect(text).toContain(
        'Sync windows and commit subjects from Argo CD are looked up for answers of up to 10 apps',
      );
      const lists = env.world.argocd.requests.filter((r) => r.path === '/api/v1/applications');
      expect(lists).toHaveLength(1);
      expect(perAppRequests()).toEqual([]);
      // 21 apps are Degraded (i % 97 === 5): they fill the whole first page.
      const sections = first.blocks!.filter((b) => String(b.block_id).startsWith('status_app_'));
      expect(sections).toHaveLength(20);
      for (const section of sections)
        expect((section.text as { text: string }).text.startsWith('🔴')).toBe(true);

      // The Next click reuses the rows (no second list call) and answers with the following page.
      const second = await pressNext(env.world, first);
      expect(readAnswer(second)).toContain('Apps 21–40 of 2,000');
      expect(env.world.argocd.requests.filter((r) => r.path === '/api/v1/applications')).toHaveLength(1);
      expect(new Set([...appsShown(first), ...appsShown(second)]).size).toBe(40);
    });

    it('2,000 apps filtered to one environment and to pending approvals', async () => {
      const prod = await askStatus(env.world, PEOPLE.dave.id, 'prod');
      expect(readAnswer(prod)).toMatch(/of 202\b/);
      expect(appsShown(prod).every((name) => name.endsWith('-prod'))).toBe(true);
      const pending = await askStatus(env.world, PEOPLE.dave.id, 'prod pending');
      expect(readAnswer(pending)).toContain('No applications match');
    });
  });
});
