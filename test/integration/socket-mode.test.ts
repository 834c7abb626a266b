import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE, TEAM_ID } from '../../sandbox/world/seed.js';
import { startTestBot, type TestBot } from '../helpers/start-test-bot.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../helpers/start-world-bot.js';
import { cardIdOf, PROD, storedCard, waitForCard } from './actions/helpers.js';

/** Slack's ack deadline; every envelope must be acked inside it, however slow the work behind it. */
const SLACK_DEADLINE_MS = 3000;

let env: WorldWithBot;
let second: TestBot;
beforeAll(async () => {
  const prefix = `test:${randomUUID()}:`;
  env = await startWorldWithBot({ slackTransport: 'socket' }, { prefix });
  // A second replica with its own socket, same Redis prefix and fakes.
  second = await startTestBot({ env: env.world.env, policy: env.world.policyYaml, prefix });
});
afterAll(async () => {
  await second?.stop();
  await env?.stop();
});

async function freshCard() {
  const sha = await env.world.pushCommit({
    author: 'dave',
    message: `Socket change ${randomUUID().slice(0, 6)}`,
  });
  const card = await waitForCard(env.world, PROD, sha);
  return { sha, card, cardId: cardIdOf(card) };
}

const approve = (ts: string, user: string = PEOPLE.alice.id) =>
  env.world.slack.clickButton({ user, channel: PROD, ts, actionId: 'deploy_approve_sync' });

const syncsOf = (sha: string) =>
  env.world.argocd.syncRequests().filter((r) => (r.body as { revision?: string }).revision === sha);

describe('Socket Mode end to end', () => {
  it('each replica opens its own connection with the app token, at SLACK_API_URL', () => {
    expect(env.world.slack.callsTo('apps.connections.open')).toHaveLength(2);
    expect(env.world.slack.socket.connections).toHaveLength(2);
  });

  it('two replicas, a press delivered to either: one sync; every ack within 3 s while Argo CD takes 2 s', async () => {
    const { sha, card, cardId } = await freshCard();
    env.world.argocd.setLatency(2000);
    try {
      const [a, b] = env.world.slack.socket.connections;
      const deliver = (connectionId: string | undefined, user: string) =>
        env.world.slack.socket.deliver('interactive', pressPayload(card.ts, user), { connectionId });
      // The real fake press once, to learn the payload; then the same press shape to each replica.
      const first = await approve(card.ts);
      const again = await Promise.all([deliver(a?.id, PEOPLE.bob.id), deliver(b?.id, PEOPLE.bob.id)]);
      expect(first.status).toBe(200);
      for (const r of again) expect(r.status).toBe(200);
      await eventually(async () => (await storedCard(env, cardId)).state !== 'pending', {
        timeoutMs: 15_000,
      });
      await new Promise((r) => setTimeout(r, 2500));
      expect(syncsOf(sha)).toHaveLength(1);
      for (const ack of env.world.slack.socket.acks) {
        expect(ack.missing).toBe(false);
        expect(ack.ackMs).toBeLessThan(SLACK_DEADLINE_MS);
      }
    } finally {
      env.world.argocd.setLatency(0);
    }
  }, 40_000);

  it('an envelope redelivered with retry_attempt > 0 has no second effect', async () => {
    const { sha, card, cardId } = await freshCard();
    const first = await approve(card.ts);
    expect(first.status).toBe(200);
    await eventually(() => syncsOf(sha).length === 1);
    const redelivered = await env.world.slack.socket.deliver('interactive', first.payload, {
      retryAttempt: 1,
      retryReason: 'timeout',
    });
    expect(redelivered.status).toBe(200);
    await eventually(async () => (await storedCard(env, cardId)).state !== 'pending');
    await new Promise((r) => setTimeout(r, 1000));
    expect(syncsOf(sha)).toHaveLength(1);
    expect([...env.bot.logs, ...second.logs].join('\n')).toContain('ignored a redelivered Slack envelope');
  });

  it('envelopes of another workspace or app are acked and do nothing (SLACK_TEAM_ID, SLACK_APP_ID)', async () => {
    const { sha, card } = await freshCard();
    const press = pressPayload(card.ts, PEOPLE.alice.id);
    const otherTeam = {
      ...press,
      team: { id: 'T0OTHERTEAM', domain: 'other' },
      user: { ...(press.user as object), team_id: 'T0OTHERTEAM' },
    };
    const otherApp = { ...press, api_app_id: 'A0OTHERAPP' };
    for (const payload of [otherTeam, otherApp]) {
      const r = await env.world.slack.socket.deliver('interactive', payload);
      expect(r.status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 1000));
    expect(syncsOf(sha)).toHaveLength(0);
    expect([...env.bot.logs, ...second.logs].join('\n')).toContain(
      'refused a Slack request for another workspace or app',
    );
  });

  it('reconnects after disconnect (refresh_requested): a press after it works', async () => {
    const { slack } = env.world;
    const before = slack.socket.allConnections.length;
    slack.socket.disconnect('refresh_requested');
    await eventually(
      () => slack.socket.allConnections.length >= before + 2 && slack.socket.connections.length === 2,
      {
        timeoutMs: 20_000,
      },
    );
    const { sha, card } = await freshCard();
    expect((await approve(card.ts)).status).toBe(200);
    await eventually(() => syncsOf(sha).length === 1);
  }, 40_000);

  it('reconnects after a dropped socket: a press after it works', async () => {
    const { slack } = env.world;
    const before = slack.socket.allConnections.length;
    slack.socket.drop();
    await eventually(
      () => slack.socket.allConnections.length >= before + 2 && slack.socket.connections.length === 2,
      {
        timeoutMs: 20_000,
      },
    );
    const { sha, card } = await freshCard();
    expect((await approve(card.ts)).status).toBe(200);
    await eventually(() => syncsOf(sha).length === 1);
  }, 40_000);
});

describe('Socket Mode with SLACK_TEAM_ID an Enterprise Grid organisation', () => {
  const ORG = 'E0GAMEMETRICS';
  let grid: WorldWithBot;
  beforeAll(async () => {
    grid = await startWorldWithBot(
      { slackTransport: 'socket' },
      { prefix: `test:grid:${randomUUID()}:`, env: { SLACK_TEAM_ID: ORG } },
    );
  });
  afterAll(async () => {
    await grid?.stop();
  });

  /** The press as Slack sends it from a workspace of organisation `org`. */
  const fromOrg = (ts: string, org: string) => {
    const press = pressPayload(ts, PEOPLE.alice.id, grid.world);
    return {
      ...press,
      enterprise: { id: org, name: org },
      team: { ...(press.team as object), enterprise_id: org },
      is_enterprise_install: false,
    };
  };

  it('a press from another organisation is acked and does nothing; one from the organisation syncs', async () => {
    const sha = await grid.world.pushCommit({ author: 'dave', message: 'Grid over the socket' });
    const card = await waitForCard(grid.world, PROD, sha);
    const gridSyncs = () =>
      grid.world.argocd.syncRequests().filter((r) => (r.body as { revision?: string }).revision === sha);

    const foreign = await grid.world.slack.socket.deliver('interactive', fromOrg(card.ts, 'E0OTHERORG'), {
      waitForConnectionMs: 15_000,
    });
    expect(foreign.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1000));
    expect(gridSyncs()).toHaveLength(0);
    expect(grid.bot.logs.join('\n')).toContain('refused a Slack request for another workspace or app');

    const own = await grid.world.slack.socket.deliver('interactive', fromOrg(card.ts, ORG));
    expect(own.status).toBe(200);
    await eventually(() => gridSyncs().length === 1, { timeoutMs: 15_000 });
  }, 40_000);
});

/** A block_actions payload as the fake builds it, for a press delivered to a chosen connection. */
function pressPayload(ts: string, user: string, world = env.world): Record<string, unknown> {
  const message = world.slack.channelMessages(PROD).find((m) => m.ts === ts);
  const { replies: _replies, ...plain } = message ?? { replies: [] };
  const button = (plain as { blocks?: Record<string, unknown>[] }).blocks
    ?.flatMap((b) => (Array.isArray(b.elements) ? b.elements : []) as Record<string, unknown>[])
    .find((e) => e.action_id === 'deploy_approve_sync');
  return {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: TEAM_ID },
    api_app_id: world.slack.appId,
    token: 'unused',
    container: { type: 'message', message_ts: ts, channel_id: PROD, is_ephemeral: false },
    trigger_id: world.slack.issueTriggerId(user),
    team: { id: TEAM_ID, domain: world.slack.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: PROD, name: 'prod-deploys' },
    message: plain,
    state: { values: {} },
    response_url: world.slack.createResponseUrl({ channel: PROD, user, messageTs: ts }),
    actions: [{ ...button, block_id: 'x', action_ts: `${Date.now() / 1000}` }],
  };
}
