import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE } from '../../../sandbox/world/seed.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { appsShown, askStatus, readAnswer } from './ask-status.js';

// The review's reproduction: picomatch extglobs backtracked for a minute on this 75-character text.
const EXTGLOB_BOMB = `app:${'@(*|*|*|*)'.repeat(7)}x`;
// Legal wildcards only, as many stars as the cap allows, ending in a miss: worst case for a backtracking matcher.
const STAR_BOMB = `${'*a'.repeat(49)}*x`;

describe.each(SLACK_TRANSPORTS)('hostile /deploy-status patterns over %s', (slackTransport) => {
  let env: WorldWithBot;

  beforeAll(async () => {
    env = await startWorldWithBot({ slackTransport });
    // Long names that almost match STAR_BOMB make any backtracking matcher explode.
    for (let i = 0; i < 50; i += 1)
      env.world.argocd.addApp({
        name: `${'a'.repeat(60)}-${i}`,
        project: 'gamemetrics',
        revision: 'b'.repeat(40),
      });
  });
  afterAll(async () => {
    await env?.stop();
  });

  /** /healthz answered while the command is being handled; every probe must be quick. */
  async function healthzWhile(run: () => Promise<unknown>): Promise<number> {
    let worst = 0;
    let done = false;
    const probing = (async () => {
      while (!done) {
        const started = performance.now();
        const response = await fetch(`${env.bot.url}/healthz`, { signal: AbortSignal.timeout(5000) });
        expect(response.status).toBe(200);
        worst = Math.max(worst, performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    try {
      await run();
    } finally {
      done = true;
      await probing;
    }
    return worst;
  }

  describe('/deploy-status with hostile patterns', () => {
    it('answers an extglob with the usage, and /healthz stays fast', async () => {
      let text = '';
      const worst = await healthzWhile(async () => {
        text = readAnswer(await askStatus(env.world, PEOPLE.dave.id, EXTGLOB_BOMB));
      });
      expect(text).toContain('only letters, digits');
      expect(text).toContain('/deploy-status help');
      // INTERFACE "Hardening": /healthz answers within 1 s whatever was asked.
      expect(worst).toBeLessThan(1000);
    });

    it('matches the longest legal star pattern against long names without stalling', async () => {
      let text = '';
      const worst = await healthzWhile(async () => {
        text = readAnswer(await askStatus(env.world, PEOPLE.dave.id, STAR_BOMB));
      });
      expect(text).toContain('No applications match');
      expect(worst).toBeLessThan(1000);
      const match = await askStatus(env.world, PEOPLE.dave.id, `${'a'.repeat(60)}-4?`);
      expect(appsShown(match).sort()).toEqual(
        Array.from({ length: 10 }, (_, i) => `${'a'.repeat(60)}-${40 + i}`).sort(),
      );
    });

    it('gives the usage for a query over 100 characters, braces and classes', async () => {
      for (const query of ['x'.repeat(101), '{event,kafka}-prod', 'kafka-[dp]*', 'audit kafka-*']) {
        const text = readAnswer(await askStatus(env.world, PEOPLE.dave.id, query));
        expect(text).toContain('/deploy-status help');
        expect(text).not.toContain('No applications match');
      }
    });
  });
});
