import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, PEOPLE } from '../../../sandbox/world/seed.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { startTestBot, type TestBot } from '../../helpers/start-test-bot.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { askStatus, readAnswer } from '../status/ask-status.js';
import {
  cardIdOf,
  craftClick,
  ephemeralTexts,
  latest,
  PROD,
  PROD_APP,
  storedCard,
  textOf,
  threadText,
  waitForCard,
} from './helpers.js';

// Anything Slack turns into a notification: a user, a user group, the channel.
const LIVE_MENTION = /<@|<!subteam\^|<!here|<!channel|<!everyone/;

describe.each(SLACK_TRANSPORTS)('quiet refusals over %s', (slackTransport) => {
  let env: WorldWithBot;
  let second: TestBot;
  beforeAll(async () => {
    const prefix = `test:${randomUUID()}:`;
    env = await startWorldWithBot({ slackTransport }, { prefix });
    // A second replica on the same Redis: "one note per user and card" must hold across both.
    second = await startTestBot({ env: env.world.env, policy: env.world.policyYaml, prefix });
  });
  afterAll(async () => {
    await second?.stop();
    await env?.stop();
  });

  /** What the bot posted into the card's thread (where refusals are noted) since call `from`. */
  function threadWritesSince(from: number, cardTs: string): string[] {
    return env.world.slack.calls
      .filter((c) => c.seq > from && c.method === 'chat.postMessage' && c.args.thread_ts === cardTs)
      .map((c) => `${String(c.args.text ?? '')}\n${JSON.stringify(c.args.blocks ?? [])}`);
  }

  const lastSeq = () => env.world.slack.calls.at(-1)?.seq ?? 0;

  describe('refusals neither ping anyone nor push real history out of the audit', () => {
    it('22 refused clicks on two replicas: 22 ephemerals, one thread note without mentions, one audit line ×22', async () => {
      const { world } = env;
      const sha = await world.pushCommit({ author: 'carol', message: 'Quiet refusals' });
      const card = await waitForCard(world, PROD, sha);
      const cardId = cardIdOf(card);
      await new Promise((r) => setTimeout(r, 300));
      const mark = lastSeq();

      const clicks = await Promise.all(
        Array.from({ length: 22 }, (_, i) =>
          craftClick(world, {
            botUrl: i % 2 === 0 ? env.bot.url : second.url,
            user: PEOPLE.dave.id,
            channel: PROD,
            ts: card.ts,
            actionId: 'deploy_approve_sync',
          }),
        ),
      );
      expect(clicks.map((c) => c.status)).toEqual(clicks.map(() => 200));
      // The refused user is always told, with the rule, every time (ephemerals ping nobody).
      const told = await eventually(() => {
        const answers = ephemeralTexts(world, PEOPLE.dave.id).filter((t) => /Not allowed/.test(t));
        return answers.length === 22 ? answers : undefined;
      });
      expect(
        told.every((t) => /Only the prod approvers \(<@U0ALICE> or <!subteam\^S0ONCALL>\)/.test(t)),
      ).toBe(true);

      await eventually(() => /was refused \(approve\)/.test(threadText(world, PROD, card.ts)));
      await new Promise((r) => setTimeout(r, 500));
      const notes = threadText(world, PROD, card.ts)
        .split('\n')
        .filter((line) => /was refused/.test(line));
      expect(notes).toEqual([
        expect.stringMatching(
          /^⛔ `U0DAVE` was refused \(approve\): Only the prod approvers \(`U0ALICE` or `S0ONCALL`\)/,
        ),
      ]);
      // Other thread notes may arrive meanwhile (a push note names its author, Carol): only refusals count here,
      // and nothing written since the clicks pings the approvers the refusals named.
      const written = threadWritesSince(mark, card.ts);
      const refusals = written.filter((text) => /was refused/.test(text));
      expect(refusals).toHaveLength(1);
      for (const text of refusals) expect(text).not.toMatch(LIVE_MENTION);
      for (const text of written)
        expect(text).not.toMatch(/<@U0ALICE>|<!subteam\^S0ONCALL>|<!here>|<!channel>/);

      const denials = await env.bot.store.readDenials({ app: PROD_APP, limit: 20 });
      expect(denials.filter((d) => d.cardId === cardId)).toEqual([
        expect.objectContaining({ user: PEOPLE.dave.id, action: 'approve', rule: 'not-approver', count: 22 }),
      ]);
      const audit = readAnswer(
        await askStatus(world, PEOPLE.alice.id, `audit ${PROD_APP}`, CHANNELS.deploys.id),
      );
      expect(audit).toMatch(/\*approve\* refused ×22 · <@U0DAVE>/);
      expect((await storedCard(env, cardId)).state).toBe('pending');
    });

    it('the last 20 decisions survive any number of refusals, in the log and in /deploy-status audit', async () => {
      const { world } = env;
      // Twenty older decisions, as a busy app has, then a real approval and sync.
      const seededAt = Date.now() - 3600_000;
      for (let i = 0; i < 20; i++)
        await env.bot.store.appendAudit({
          at: seededAt + i,
          app: PROD_APP,
          action: 'reject',
          outcome: 'allowed',
          user: PEOPLE.alice.id,
          cardId: `older-${i}`,
          detail: `older decision ${i}`,
        });
      const current = await waitForCard(world, PROD, world.headOf('main'));
      await craftClick(world, {
        botUrl: env.bot.url,
        user: PEOPLE.alice.id,
        channel: PROD,
        ts: current.ts,
        actionId: 'deploy_approve_sync',
      });
      await eventually(() => textOf(latest(world, PROD, current.ts)).includes('*Deployed*'), {
        timeoutMs: 15_000,
      });

      // Then a flood: more refusals than the per-app log ever held (MAXLEN ~1000), on a new card.
      const sha = await world.pushCommit({ author: 'carol', message: 'Flooded card' });
      const flooded = await waitForCard(world, PROD, sha);
      const floodedId = cardIdOf(flooded);
      const { actions } = env.bot.bot.features;
      const FLOOD = 1_150;
      for (let i = 0; i < FLOOD; i += 50)
        await Promise.all(
          Array.from({ length: Math.min(50, FLOOD - i) }, () =>
            actions.approve(floodedId, { userId: PEOPLE.dave.id, channel: PROD, messageTs: flooded.ts }),
          ),
        );

      const decisions = await env.bot.store.readAudit({ app: PROD_APP, limit: 20 });
      expect(decisions).toHaveLength(20);
      expect(decisions.some((e) => e.outcome === 'denied')).toBe(false);
      expect(decisions.slice(0, 2).map((e) => [e.action, e.outcome, e.user])).toEqual([
        ['sync-started', 'started', PEOPLE.alice.id],
        ['approve', 'allowed', PEOPLE.alice.id],
      ]);

      const answer = await askStatus(world, PEOPLE.alice.id, `audit ${PROD_APP}`, CHANNELS.deploys.id);
      const sections = (answer.blocks ?? []).filter((b) => String(b.block_id).startsWith('audit_entries_'));
      const lines = sections.flatMap((b) => String((b.text as { text: string }).text).split('\n'));
      expect(lines).toHaveLength(20);
      expect(lines[0]).toMatch(/\*sync-started\* started · <@U0ALICE>/);
      expect(lines[1]).toMatch(/\*approve\* allowed · <@U0ALICE>/);
      expect(readAnswer(answer)).toContain(`*approve* refused ×${FLOOD} · <@U0DAVE>`);
      // Still one thread note for Dave on the flooded card.
      expect(threadText(world, PROD, flooded.ts).match(/was refused/g)).toHaveLength(1);
    });
  });
});
