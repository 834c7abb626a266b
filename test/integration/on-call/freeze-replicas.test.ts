import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_TRANSPORTS } from '../../helpers/slack-transports.js';
import { startTestBot, type TestBot } from '../../helpers/start-test-bot.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  cardIdOf,
  craftClick,
  ephemeralTexts,
  expectNoArgoWrites,
  PROD,
  socketOpenedBy,
  storedCard,
  waitForCard,
} from '../actions/helpers.js';
import { freezeCommand, ON_CALL_POLICY } from './helpers.js';

describe.each(SLACK_TRANSPORTS)('Slack freeze across replicas over %s', (slackTransport) => {
  // One clock for both replicas, moved forward by the test (the freeze's own `until` decides, not Redis's TTL).
  let offsetMs = 0;
  const now = () => Date.now() + offsetMs;
  const prefix = `test:${randomUUID()}:`;

  let env: WorldWithBot;
  let replica: TestBot;
  // Over Socket Mode the replica's own connection (a press must reach it, not the world's bot).
  let replicaSocket: string | undefined;
  const startReplica = () =>
    startTestBot({ policy: ON_CALL_POLICY, env: env.world.env, prefix, now, reconcileIntervalMs: 60_000 });

  beforeAll(async () => {
    env = await startWorldWithBot({ slackTransport }, { policy: ON_CALL_POLICY, prefix, now });
    ({ started: replica, connectionId: replicaSocket } = await socketOpenedBy(env.world, startReplica));
  });
  afterAll(async () => {
    await replica?.stop();
    await env?.stop();
  });

  /**
   * Over HTTP the command went to the world's bot (the request URL), so the replica is the other one.
   * Over Socket Mode Slack picked a connection for the command: the press goes to the other connection.
   */
  const otherThanLastCommand = () => {
    if (slackTransport !== 'socket') return undefined;
    const { socket } = env.world.slack;
    const commandOn = socket.acks.filter((a) => a.type === 'slash_commands').at(-1)?.connectionId;
    const other = socket.connections.find((c) => c.id !== commandOn);
    if (!other) throw new Error('no second Socket Mode connection');
    return other.id;
  };

  describe('a Slack freeze across replicas, restarts and time', () => {
    it('is in force on the other replica at once, after its restart, and ends by itself', async () => {
      const { world } = env;
      const sha = await world.pushCommit({ author: 'dave', message: 'During the freeze' });
      const card = await waitForCard(world, PROD, sha);
      const cardId = cardIdOf(card);

      // Declared on one replica; the click goes to the other one.
      await freezeCommand(world, 'U0ALICE', 'prod 30m Game launch');
      await craftClick(world, {
        botUrl: replica.url,
        connectionId: otherThanLastCommand(),
        user: 'U0ALICE',
        channel: PROD,
        ts: card.ts,
        actionId: 'deploy_approve_sync',
      });
      await eventually(() =>
        ephemeralTexts(world, 'U0ALICE').some((t) => /frozen by <@U0ALICE> \(Game launch\)/.test(t)),
      );
      expectNoArgoWrites(world);

      // The replica restarts: the freeze is still there.
      await replica.stop();
      ({ started: replica, connectionId: replicaSocket } = await socketOpenedBy(world, startReplica));
      const refusals = ephemeralTexts(world, 'U0ALICE').length;
      await craftClick(world, {
        botUrl: replica.url,
        connectionId: replicaSocket,
        user: 'U0ALICE',
        channel: PROD,
        ts: card.ts,
        actionId: 'deploy_approve_sync',
      });
      await eventually(() => ephemeralTexts(world, 'U0ALICE').length > refusals);
      expect(ephemeralTexts(world, 'U0ALICE').at(-1)).toMatch(/frozen by <@U0ALICE>/);
      expect((await storedCard(env, cardId)).state).toBe('pending');
      expect((await freezeCommand(world, 'U0BOB', '')).text).toMatch(/\*prod\* frozen by <@U0ALICE>/);

      // 31 minutes later the freeze is over on every replica, whatever Redis still holds. Signed Slack
      // requests carry the real time (a 31-minute skew is refused as a replay), so the replica's own
      // services are asked directly, as its listeners would after verifying a request.
      offsetMs = 31 * 60_000;
      expect((await replica.bot.features.freezes.handle({ user: 'U0BOB', text: '' })).text).toMatch(
        /No freeze is in force/,
      );
      const outcome = await replica.bot.features.actions.approve(cardId, {
        userId: 'U0ALICE',
        channel: PROD,
        messageTs: card.ts,
      });
      expect(outcome.kind).toBe('done');
      const sync = await eventually(() => world.argocd.syncRequests()[0]);
      expect(sync.body).toMatchObject({ revision: sha });
    });
  });
});
