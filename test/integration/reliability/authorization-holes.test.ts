import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject, SlackView } from '../../../sandbox/fake-slack/index.js';
import { APP_ID, PEOPLE, TEAM_ID } from '../../../sandbox/world/seed.js';
import { WORLD_SECRETS } from '../../../sandbox/world/start-world.js';
import type { Card } from '../../../src/domain/card.js';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  type PostedCard,
  PROD_CHANNEL,
  pushAndWaitForPendingCard,
  settle,
  waitForCardText,
} from './support/cards.js';
import {
  encodeInteraction,
  nowSeconds,
  postSignedToSlackRoute,
  postToSlackRoute,
  signSlackBody,
} from './support/slack-requests.js';

const SECRET = WORLD_SECRETS.SLACK_SIGNING_SECRET;
describe.each(SLACK_TRANSPORTS)('authorization holes over %s', (slackTransport) => {
  let env: WorldWithBot;
  /** The first card (later superseded), and the kafka-prod info card of the same push. */
  let older: PostedCard;
  let kafkaCardId: string;
  /** Dave's real click on the older card's Approve button, kept as the template of forged clicks. */
  let daveClick: Record<string, unknown>;
  let newer: PostedCard;

  const alice = { id: PEOPLE.alice.id, username: 'alice', name: 'alice', team_id: TEAM_ID };
  const dave = { id: PEOPLE.dave.id, username: 'dave', name: 'dave', team_id: TEAM_ID };

  const storedCard = async (id: string): Promise<Card> => {
    const card = await env.bot.bot.features.cards.repo.get(id);
    if (!card) throw new Error(`no stored card ${id}`);
    return card;
  };
  const decisionState = (card: Card) => ({
    state: card.state,
    approvals: card.approvals,
    rejection: card.rejection,
  });

  /** A click re-signed now, as Slack would send it, with the given changes to Dave's original click. */
  function forgedClick(changes: {
    user?: { id: string };
    value?: string;
    ts?: string;
  }): Record<string, unknown> {
    const actions = daveClick.actions as Record<string, unknown>[];
    const container = daveClick.container as Record<string, unknown>;
    const user = changes.user ?? (daveClick.user as { id: string });
    // Slack gives each click its own response_url, shown to the clicking user.
    const responseUrl = env.world.slack.createResponseUrl({
      channel: PROD_CHANNEL,
      user: user.id,
      messageTs: changes.ts ?? String(container.message_ts),
    });
    return {
      ...daveClick,
      user,
      response_url: responseUrl,
      container: { ...container, ...(changes.ts ? { message_ts: changes.ts } : {}) },
      actions: [{ ...actions[0], ...(changes.value !== undefined ? { value: changes.value } : {}) }],
    };
  }

  /**
   * A payload as a stale or forged client would have Slack deliver it: signed to /slack/events over
   * HTTP, as an `interactive` envelope over Socket Mode (where the socket itself is the authentication).
   */
  async function sendForged(payload: Record<string, unknown>): Promise<{ status: number; text: string }> {
    if (slackTransport === 'socket') {
      const sent = await env.world.slack.socket.deliver('interactive', payload as JsonObject, {
        waitForConnectionMs: 15_000,
      });
      return {
        status: sent.status,
        text: sent.ack && Object.keys(sent.ack).length > 0 ? JSON.stringify(sent.ack) : '',
      };
    }
    const response = await postSignedToSlackRoute(env.bot.url, SECRET, encodeInteraction(payload));
    return { status: response.status, text: await response.text() };
  }

  const lastEphemeral = (user: string) => env.world.slack.ephemerals({ user }).at(-1)?.text ?? '';

  async function expectDenied(user: string, countBefore: number, pattern: RegExp): Promise<void> {
    const text = await eventually(() => {
      const all = env.world.slack.ephemerals({ user });
      return all.length > countBefore ? all.at(-1)?.text : undefined;
    });
    expect(text).toMatch(/Not allowed/);
    expect(text).toMatch(pattern);
  }

  beforeAll(async () => {
    env = await startWorldWithBot({ slackTransport });
    older = await pushAndWaitForPendingCard(env.world);
    const click = await env.world.slack.clickButton({
      user: PEOPLE.dave.id,
      channel: PROD_CHANNEL,
      ts: older.ts,
      actionId: 'deploy_approve_sync',
    });
    daveClick = click.payload;
    const kafka = await eventually(() =>
      env.bot.bot.features.cards.repo.findByRevision(
        { instance: 'default', namespace: 'argocd', name: 'kafka-prod' },
        older.sha,
      ),
    );
    kafkaCardId = kafka.id;
    await eventually(() => env.world.slack.ephemerals({ user: PEOPLE.dave.id }).length > 0);
    await settle(env.bot);
  });

  afterAll(async () => {
    await env?.stop();
  });

  describe('a button value that names another card', () => {
    it('Approve on this card carrying the id of another app’s card: refused, neither card changes', async () => {
      const before = [
        decisionState(await storedCard(older.cardId)),
        decisionState(await storedCard(kafkaCardId)),
      ];
      const count = env.world.slack.ephemerals({ user: PEOPLE.alice.id }).length;
      const response = await sendForged(forgedClick({ user: alice, value: kafkaCardId }));
      expect(response.status).toBe(200);
      await expectDenied(PEOPLE.alice.id, count, /does not belong/);
      await settle(env.bot);
      expect([
        decisionState(await storedCard(older.cardId)),
        decisionState(await storedCard(kafkaCardId)),
      ]).toEqual(before);
      expect(env.world.argocd.syncRequests()).toHaveLength(0);
    });

    it.each([
      ['a card id with another revision appended', (id: string) => `${id}:${'b'.repeat(40)}`],
      [
        'an app and revision instead of a card id',
        () => JSON.stringify({ app: 'kafka-prod', revision: 'a'.repeat(40) }),
      ],
      ['an empty value', () => ''],
    ])('a value of %s: refused as an unknown card, nothing runs', async (_name, value) => {
      const count = env.world.slack.ephemerals({ user: PEOPLE.alice.id }).length;
      const before = decisionState(await storedCard(older.cardId));
      const response = await sendForged(forgedClick({ user: alice, value: value(older.cardId) }));
      expect(response.status).toBe(200);
      await expectDenied(PEOPLE.alice.id, count, /not known/);
      expect(decisionState(await storedCard(older.cardId))).toEqual(before);
      expect(env.world.argocd.syncRequests()).toHaveLength(0);
    });
  });

  // Signatures exist only over HTTP: over Socket Mode nothing reaches the bot but what Slack sends on
  // the connection the app token opened, so this block is registered for HTTP alone.
  if (slackTransport === 'http')
    describe('a forged user.id without a valid signature', () => {
      it.each([
        ['no signature at all', (body: string) => ({ body, timestamp: String(nowSeconds()) })],
        [
          "Dave's own signature",
          (body: string) => {
            const ts = nowSeconds();
            return {
              body,
              timestamp: String(ts),
              signature: signSlackBody(SECRET, ts, encodeInteraction(daveClick)),
            };
          },
        ],
      ])('%s: 401, and Alice’s approval is not recorded', async (_name, build) => {
        const before = decisionState(await storedCard(older.cardId));
        const response = await postToSlackRoute(
          env.bot.url,
          build(encodeInteraction(forgedClick({ user: alice }))),
        );
        expect(response.status).toBe(401);
        await new Promise((r) => setTimeout(r, 200));
        expect(decisionState(await storedCard(older.cardId))).toEqual(before);
        expect(env.world.argocd.syncRequests()).toHaveLength(0);
      });
    });

  describe('a click on a superseded card', () => {
    it('a stale client presses Approve on the older card after a newer revision replaced it: refused', async () => {
      newer = await pushAndWaitForPendingCard(env.world, { message: 'Raise consumer concurrency' });
      await waitForCardText(env.world, older.ts, /was superseded/);
      const count = env.world.slack.ephemerals({ user: PEOPLE.alice.id }).length;
      // Slack no longer shows the button, but a client that still has the old message can send the click.
      const response = await sendForged(forgedClick({ user: alice, value: older.cardId, ts: older.ts }));
      expect(response.status).toBe(200);
      await expectDenied(PEOPLE.alice.id, count, /superseded/);
      expect((await storedCard(older.cardId)).state).toBe('superseded');
      expect(env.world.argocd.syncRequests()).toHaveLength(0);
    });
  });

  describe('a modal submission for a card the user may not act on', () => {
    const reason = (value: string) => ({ reason_block: { reason_input: value } });

    /** The answer to a submission comes after its ack (the modal is closed by then), in the card's channel. */
    const toldInChannel = (user: string, pattern: RegExp) =>
      eventually(() =>
        env.world.slack
          .ephemerals({ user })
          .find(
            (e) => e.source === 'chat.postEphemeral' && e.channel === PROD_CHANNEL && pattern.test(e.text),
          ),
      );

    it('Dave (not an approver) opens Reject and submits a reason: refused after the ack, card unchanged', async () => {
      const count = env.world.slack.ephemerals({ user: PEOPLE.dave.id }).length;
      await env.world.slack.clickButton({
        user: PEOPLE.dave.id,
        channel: PROD_CHANNEL,
        ts: newer.ts,
        actionId: 'deploy_reject',
      });
      const view = await eventually(() =>
        env.world.slack.views.find((v) => v.user === PEOPLE.dave.id && v.open),
      );
      await eventually(() => env.world.slack.ephemerals({ user: PEOPLE.dave.id }).length > count);
      expect(lastEphemeral(PEOPLE.dave.id)).toMatch(/Not allowed/);
      const submitted = await env.world.slack.submitView({
        user: PEOPLE.dave.id,
        viewId: view.id,
        values: reason('I do not like it'),
      });
      // Acked before the rights are checked (Slack's 3 s); the refusal follows ephemerally.
      expect(submitted.status).toBe(200);
      expect(submitted.responseAction).toBeUndefined();
      const told = await toldInChannel(PEOPLE.dave.id, /Not allowed/);
      expect(told.text).toMatch(/approver|may/i);
      expect((await storedCard(newer.cardId)).state).toBe('pending');
    });

    it('Dave submits the modal that was opened for Alice (forged, correctly signed): refused, card unchanged', async () => {
      await env.world.slack.clickButton({
        user: PEOPLE.alice.id,
        channel: PROD_CHANNEL,
        ts: newer.ts,
        actionId: 'deploy_reject',
      });
      const stored = await eventually(() =>
        env.world.slack.views.find((v) => v.user === PEOPLE.alice.id && v.open),
      );
      const forgedView: SlackView = {
        ...stored.view,
        state: {
          values: { reason_block: { reason_input: { type: 'plain_text_input', value: 'forged by dave' } } },
        },
      };
      const payload = {
        type: 'view_submission',
        team: { id: TEAM_ID, domain: 'gamemetrics' },
        user: dave,
        api_app_id: APP_ID,
        trigger_id: '1.2.3',
        view: forgedView,
        response_urls: [],
        is_enterprise_install: false,
        enterprise: null,
      };
      const before = env.world.slack.ephemerals({ user: PEOPLE.dave.id }).length;
      const response = await sendForged(payload);
      expect(response.status).toBe(200);
      // A well-formed submission is acked empty; the policy refuses Dave after that.
      expect(response.text).toBe('');
      await eventually(() => env.world.slack.ephemerals({ user: PEOPLE.dave.id }).length > before);
      await toldInChannel(PEOPLE.dave.id, /Not allowed/);
      const card = await storedCard(newer.cardId);
      expect(card.state).toBe('pending');
      expect(card.rejection).toBeUndefined();
    });

    it('a submission whose private_metadata names another card than the one it was opened on: refused', async () => {
      const stored = env.world.slack.views.find((v) => v.user === PEOPLE.alice.id && v.open);
      if (!stored) throw new Error('Alice’s reject modal is not open');
      const metadata = JSON.parse(stored.view.private_metadata) as Record<string, string>;
      const payload = {
        type: 'view_submission',
        team: { id: TEAM_ID, domain: 'gamemetrics' },
        user: alice,
        api_app_id: APP_ID,
        trigger_id: '1.2.4',
        view: {
          ...stored.view,
          private_metadata: JSON.stringify({ ...metadata, cardId: kafkaCardId }),
          state: {
            values: { reason_block: { reason_input: { type: 'plain_text_input', value: 'wrong card' } } },
          },
        },
      };
      const before = decisionState(await storedCard(kafkaCardId));
      const response = await sendForged(payload);
      expect(response.status).toBe(200);
      expect(response.text).toBe('');
      // Which card the dialog belongs to is only known from the store: refused after the ack.
      await toldInChannel(PEOPLE.alice.id, /does not belong to the card/);
      expect(decisionState(await storedCard(kafkaCardId))).toEqual(before);
      expect((await storedCard(newer.cardId)).state).toBe('pending');
    });
  });

  describe('control', () => {
    it('Alice’s real click on the current card deploys exactly its revision', async () => {
      await env.world.slack.clickButton({
        user: PEOPLE.alice.id,
        channel: PROD_CHANNEL,
        ts: newer.ts,
        actionId: 'deploy_approve_sync',
      });
      const sync = await eventually(() => env.world.argocd.syncRequests()[0]);
      expect(sync.body).toMatchObject({ revision: newer.sha });
      await waitForCardText(env.world, newer.ts, /was deployed/);
      expect(env.world.argocd.syncRequests()).toHaveLength(1);
    });
  });
});
