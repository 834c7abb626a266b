import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE } from '../../../sandbox/world/seed.js';
import type { Card } from '../../../src/domain/card.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  auditOf,
  cardIdOf,
  ephemeralTexts,
  latest,
  PROD,
  storedCard,
  textOf,
  waitForCard,
} from './helpers.js';

// Slack drops an interaction not acked within 3 s (the user sees an error) and a trigger_id dies after ~3 s.
const SLACK_DEADLINE_MS = 3000;
const SLOW_MS = 4000;

describe.each(SLACK_TRANSPORTS)('slow acks over %s', (slackTransport) => {
  let env: WorldWithBot;
  beforeAll(async () => {
    env = await startWorldWithBot({ slackTransport });
  });
  afterAll(async () => {
    await env?.stop();
  });

  const reasonValues = (reason: string) => ({ reason_block: { reason_input: reason } });

  /** Presses Reject and returns when the modal is open, with how long that took from the press. */
  async function pressReject(user: string, ts: string) {
    const { slack } = env.world;
    const started = Date.now();
    const click = await slack.clickButton({ user, channel: PROD, ts, actionId: 'deploy_reject' });
    const ackMs = Date.now() - started;
    expect(click.status).toBe(200);
    const view = await eventually(() =>
      slack.views.find((v) => v.open && v.user === user && v.view.callback_id === 'deploy_reason_modal'),
    );
    const opened = slack.callsTo('views.open').find((c) => c.response.ok === true && c.at >= started);
    return { view, ackMs, openMs: (opened?.at ?? Number.POSITIVE_INFINITY) - started };
  }

  async function submitTimed(user: string, viewId: string, reason: string) {
    const started = Date.now();
    const result = await env.world.slack.submitView({ user, viewId, values: reasonValues(reason) });
    return { result, ms: Date.now() - started };
  }

  describe('every interaction is acked before anything slow', () => {
    it('with user-group lookups taking 4 s: the modal opens, the submissions are acked < 3 s, outcomes follow', async () => {
      const { world } = env;
      const sha = await world.pushCommit({ author: 'dave', message: 'Slow directory' });
      const card = await waitForCard(world, PROD, sha);
      const cardId = cardIdOf(card);
      // Bob may reject only through the on-call group, so deciding needs usergroups.users.list.
      world.slack.delay('usergroups.users.list', SLOW_MS);
      try {
        const [bob, dave] = await Promise.all([
          pressReject(PEOPLE.bob.id, card.ts),
          pressReject(PEOPLE.dave.id, card.ts),
        ]);
        for (const pressed of [bob, dave]) {
          expect(pressed.ackMs).toBeLessThan(SLACK_DEADLINE_MS);
          expect(pressed.openMs).toBeLessThan(SLACK_DEADLINE_MS);
        }
        const [bobSubmit, daveSubmit] = await Promise.all([
          submitTimed(PEOPLE.bob.id, bob.view.id, 'Slow directory, but a real reason'),
          submitTimed(PEOPLE.dave.id, dave.view.id, 'I would rather not'),
        ]);
        for (const submitted of [bobSubmit, daveSubmit]) {
          expect(submitted.result.status).toBe(200);
          expect(submitted.ms).toBeLessThan(SLACK_DEADLINE_MS);
          expect(submitted.result.viewOpen).toBe(false);
        }

        // The decision follows the ack: the card and Bob learn it once the group is read.
        await eventually(async () => (await storedCard(env, cardId)).state === 'rejected', {
          timeoutMs: 15_000,
        });
        expect((await storedCard(env, cardId)).rejection).toMatchObject({ user: PEOPLE.bob.id });
        await eventually(() => textOf(latest(world, PROD, card.ts)).includes('*Rejected*'));
        const toBob = await eventually(() =>
          world.slack.ephemerals({ user: PEOPLE.bob.id }).find((e) => e.source === 'chat.postEphemeral'),
        );
        expect(toBob).toMatchObject({ channel: PROD });
        expect(toBob.text).toMatch(/^✅ Rejected/);
        // Dave's refusal came after his modal had closed: he is told in the card's channel.
        const toDave = await eventually(() =>
          world.slack
            .ephemerals({ user: PEOPLE.dave.id })
            .find((e) => e.source === 'chat.postEphemeral' && /Not allowed/.test(e.text)),
        );
        expect(toDave).toMatchObject({ channel: PROD });
        const daveAudit = (await auditOf(env, cardId)).filter((e) => e.user === PEOPLE.dave.id);
        expect(daveAudit.map((e) => [e.action, e.outcome])).toEqual([['reject', 'denied']]);
      } finally {
        world.slack.delay('usergroups.users.list', 0);
      }
    });

    it('with card reads taking 3.5 s: the reject modal still opens before its trigger_id expires', async () => {
      const { world } = env;
      const sha = await world.pushCommit({ author: 'dave', message: 'Slow store' });
      const card = await waitForCard(world, PROD, sha);
      const cardId = cardIdOf(card);
      // A slow Redis, seen by the bot as a slow card read (the repository is the one every listener uses).
      const repo = env.bot.bot.features.cards.repo;
      const read = repo.get.bind(repo);
      repo.get = async (id: string): Promise<Card | undefined> => {
        await new Promise((r) => setTimeout(r, 3500));
        return read(id);
      };
      try {
        const alice = await pressReject(PEOPLE.alice.id, card.ts);
        expect(alice.ackMs).toBeLessThan(SLACK_DEADLINE_MS);
        expect(alice.openMs).toBeLessThan(SLACK_DEADLINE_MS);
        // Opened from what the pressed message shows; the submission decides from the stored card.
        expect(JSON.stringify(alice.view.view.blocks)).toContain(sha.slice(0, 7));
        expect(ephemeralTexts(world, PEOPLE.alice.id).filter((t) => /would not open/.test(t))).toEqual([]);
        const submitted = await submitTimed(PEOPLE.alice.id, alice.view.id, 'Store is slow today');
        expect(submitted.ms).toBeLessThan(SLACK_DEADLINE_MS);
        await eventually(async () => (await storedCard(env, cardId)).state === 'rejected', {
          timeoutMs: 15_000,
        });
      } finally {
        repo.get = read;
      }
    });
  });
});
