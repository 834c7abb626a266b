import { createHmac, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PEOPLE, REPO } from '../../../sandbox/world/seed.js';
import { WORLD_SECRETS } from '../../../sandbox/world/start-world.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  type PostedCard,
  PROD_APP,
  PROD_CHANNEL,
  pushAndWaitForPendingCard,
  settle,
  waitForCardText,
} from './support/cards.js';
import { deleteKeys, openRawRedis } from './support/redis-keys.js';
import { captureSideEffects, type SideEffects, waitForQuiet } from './support/side-effects.js';
import {
  encodeInteraction,
  nowSeconds,
  postSignedToSlackRoute,
  postToSlackRoute,
  signSlackBody,
} from './support/slack-requests.js';

// HTTP only, by nature: signatures, timestamps, replay marks and raw bodies exist only on the
// signed routes. Over Socket Mode the workspace and app checks are covered by
// test/integration/socket-mode.test.ts, and the authorization that follows them by every action suite.
const SECRET: string = WORLD_SECRETS.SLACK_SIGNING_SECRET;
const prefix = `rel-auth:${randomUUID()}:`;
let env: WorldWithBot;
let redis: Redis;
let card: PostedCard;
/** Dave's real click on Approve (he is not an approver): the template every forged request starts from. */
let davePayload: Record<string, unknown>;

beforeAll(async () => {
  env = await startWorldWithBot({}, { prefix });
  redis = openRawRedis(inject('redisUrl'));
  card = await pushAndWaitForPendingCard(env.world);
  const click = await env.world.slack.clickButton({
    user: PEOPLE.dave.id,
    channel: PROD_CHANNEL,
    ts: card.ts,
    actionId: 'deploy_approve_sync',
  });
  expect(click.status).toBe(200);
  davePayload = click.payload;
  await eventually(() => env.world.slack.ephemerals({ user: PEOPLE.dave.id }).length > 0);
  await settle(env.bot);
  await waitForQuiet(env.world, redis, prefix);
});

afterAll(async () => {
  await env?.stop();
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

const asAlice = (payload: Record<string, unknown>) => ({
  ...payload,
  user: { id: PEOPLE.alice.id, username: 'alice', name: 'alice', team_id: 'T0GAMEMETRICS' },
});

/** Alice's Approve on the pending card: if any forged variant got through, a sync would start. */
const aliceBody = () => encodeInteraction(asAlice(davePayload));

async function expectNoSideEffects(before: SideEffects): Promise<void> {
  // Accepted work runs after the answer: give it time to show before comparing.
  await new Promise((r) => setTimeout(r, 150));
  await settle(env.bot);
  const after = await captureSideEffects(env.world, redis, prefix);
  expect(after.slackCalls, 'Slack Web API calls').toBe(before.slackCalls);
  expect(after.ephemerals, 'ephemeral answers').toBe(before.ephemerals);
  expect(after.argocdRequests, 'Argo CD requests').toBe(before.argocdRequests);
  expect(after.keys, 'store contents under the prefix').toEqual(before.keys);
}

const uppercaseHex = (s: string) => `v0=${s.slice(3).toUpperCase()}`;
const base64Digest = (s: string) => `v0=${Buffer.from(s.slice(3), 'hex').toString('base64')}`;

describe('POST /slack/events refuses unauthenticated requests and changes nothing', () => {
  type Case = [string, () => { body: string; timestamp?: string; signature?: string; contentType?: string }];
  const signedNow = (body: string, secret = SECRET) => {
    const ts = nowSeconds();
    return { body, timestamp: String(ts), signature: signSlackBody(secret, ts, body) };
  };
  const cases: Case[] = [
    ['no signature header', () => ({ body: aliceBody(), timestamp: String(nowSeconds()) })],
    [
      'no timestamp header',
      () => ({ body: aliceBody(), signature: signSlackBody(SECRET, nowSeconds(), aliceBody()) }),
    ],
    ['no headers at all', () => ({ body: aliceBody() })],
    ['a signature made with another secret', () => signedNow(aliceBody(), 'not-the-signing-secret')],
    [
      'a truncated signature',
      () => {
        const s = signedNow(aliceBody());
        return { ...s, signature: s.signature.slice(0, -1) };
      },
    ],
    [
      'the digest without the v0= version',
      () => {
        const s = signedNow(aliceBody());
        return { ...s, signature: s.signature.slice(3) };
      },
    ],
    [
      'a v1= version prefix',
      () => {
        const s = signedNow(aliceBody());
        return { ...s, signature: `v1=${s.signature.slice(3)}` };
      },
    ],
    [
      'the digest re-encoded as upper-case hex',
      () => {
        const s = signedNow(aliceBody());
        return { ...s, signature: uppercaseHex(s.signature) };
      },
    ],
    [
      'the digest re-encoded as base64',
      () => {
        const s = signedNow(aliceBody());
        return { ...s, signature: base64Digest(s.signature) };
      },
    ],
    [
      "Dave's signature on a body whose user.id was changed to Alice",
      () => {
        const daveSigned = signedNow(encodeInteraction(davePayload));
        return { ...daveSigned, body: aliceBody() };
      },
    ],
    [
      'a body with bytes appended after signing',
      () => {
        const s = signedNow(aliceBody());
        return { ...s, body: `${s.body}&x=1` };
      },
    ],
    ['the signature of an empty body', () => ({ ...signedNow(''), body: aliceBody() })],
    [
      'a correctly signed timestamp 301 s old',
      () => {
        const ts = nowSeconds() - 301;
        return {
          body: aliceBody(),
          timestamp: String(ts),
          signature: signSlackBody(SECRET, ts, aliceBody()),
        };
      },
    ],
    [
      'a correctly signed timestamp 6 minutes in the future',
      () => {
        const ts = nowSeconds() + 360;
        return {
          body: aliceBody(),
          timestamp: String(ts),
          signature: signSlackBody(SECRET, ts, aliceBody()),
        };
      },
    ],
    [
      'a correctly signed timestamp written with a fraction',
      () => {
        const ts = `${nowSeconds()}.0`;
        return { body: aliceBody(), timestamp: ts, signature: signSlackBody(SECRET, ts, aliceBody()) };
      },
    ],
    [
      'a correctly signed click from another workspace (team.id)',
      () => {
        const payload = asAlice(davePayload);
        return signedNow(
          encodeInteraction({
            ...payload,
            team: { id: 'T0OTHERTEAM', domain: 'other' },
            user: { ...(payload.user as object), team_id: 'T0OTHERTEAM' },
          }),
        );
      },
    ],
    [
      'a correctly signed click for another app (api_app_id)',
      () => signedNow(encodeInteraction({ ...asAlice(davePayload), api_app_id: 'A0SOMEOTHERAPP' })),
    ],
    [
      'a correctly signed slash command from another workspace',
      () =>
        signedNow(
          new URLSearchParams({
            team_id: 'T0OTHERTEAM',
            api_app_id: 'A0DEPLOYBOT',
            user_id: PEOPLE.alice.id,
            channel_id: PROD_CHANNEL,
            command: '/deploy-status',
            text: '',
            response_url: 'http://127.0.0.1:9/response/x',
            trigger_id: '1.2.3',
          }).toString(),
        ),
    ],
    [
      'a correctly signed Events API body (JSON) from another workspace',
      () => ({
        ...signedNow(
          JSON.stringify({
            type: 'event_callback',
            team_id: 'T0OTHERTEAM',
            api_app_id: 'A0DEPLOYBOT',
            event: { type: 'app_mention', user: PEOPLE.alice.id, text: 'deploy', channel: PROD_CHANNEL },
            event_id: 'Ev0001',
            event_time: nowSeconds(),
          }),
        ),
        contentType: 'application/json',
      }),
    ],
  ];

  it.each(cases)('%s → 4xx, no Slack call, no Argo CD call, no store write', async (_name, build) => {
    const before = await captureSideEffects(env.world, redis, prefix);
    const response = await postToSlackRoute(env.bot.url, build());
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    await expectNoSideEffects(before);
    expect(env.world.argocd.syncRequests()).toHaveLength(0);
  });

  it('refuses a replayed interaction: the same signed bytes twice, the second changes nothing', async () => {
    const body = encodeInteraction(davePayload);
    const ts = nowSeconds();
    const signature = signSlackBody(SECRET, ts, body);
    const ephemeralsBefore = env.world.slack.ephemerals({ user: PEOPLE.dave.id }).length;
    const first = await postToSlackRoute(env.bot.url, { body, timestamp: String(ts), signature });
    expect(first.status).toBe(200);
    await eventually(
      () => env.world.slack.ephemerals({ user: PEOPLE.dave.id }).length === ephemeralsBefore + 1,
    );
    await settle(env.bot);
    const before = await captureSideEffects(env.world, redis, prefix);
    const replay = await postToSlackRoute(env.bot.url, { body, timestamp: String(ts), signature });
    expect(replay.status).toBe(401);
    await expectNoSideEffects(before);
  });

  it('control: the same Alice click, correctly signed, does start the sync (the cases above were refused, not inert)', async () => {
    const response = await postSignedToSlackRoute(env.bot.url, SECRET, aliceBody());
    expect(response.status).toBe(200);
    const sync = await eventually(() => env.world.argocd.syncRequests()[0]);
    expect(sync.body).toMatchObject({ revision: card.sha });
    // Let the deploy finish so the next routes' checks start from a quiet bot.
    await waitForCardText(env.world, card.ts, /was deployed/);
    await settle(env.bot);
    await waitForQuiet(env.world, redis, prefix);
  });
});

describe('POST /argocd/events refuses a missing or wrong Bearer secret and changes nothing', () => {
  const notification = () =>
    JSON.stringify({
      event: 'on-out-of-sync',
      app: PROD_APP,
      appNamespace: 'argocd',
      project: 'gamemetrics',
      syncStatus: 'OutOfSync',
      healthStatus: 'Healthy',
      revision: randomUUID().replace(/-/g, '').padEnd(40, '0'),
      operationPhase: '',
      deliveredAt: new Date().toISOString(),
    });
  const secret = WORLD_SECRETS.ARGOCD_WEBHOOK_SECRET;
  const cases: [string, string | undefined][] = [
    ['no Authorization header', undefined],
    ['an empty Bearer', 'Bearer '],
    ['a wrong secret', 'Bearer not-the-webhook-secret'],
    ['a truncated secret', `Bearer ${secret.slice(0, -1)}`],
    ['the secret with a suffix', `Bearer ${secret}x`],
    ['the secret without a scheme', secret],
    ['the secret under Basic', `Basic ${Buffer.from(`argocd:${secret}`).toString('base64')}`],
    ['the secret base64-encoded', `Bearer ${Buffer.from(secret).toString('base64')}`],
    ['two spaces after Bearer', `Bearer  ${secret}`],
  ];

  it.each(cases)('%s → 401, no Argo CD call, no store write', async (_name, authorization) => {
    const before = await captureSideEffects(env.world, redis, prefix);
    const response = await fetch(`${env.bot.url}/argocd/events`, {
      method: 'POST',
      body: notification(),
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    });
    expect(response.status).toBe(401);
    await expectNoSideEffects(before);
  });

  it('control: the right secret is accepted and the bot reads the app from Argo CD', async () => {
    const before = env.world.argocd.requests.length;
    const response = await fetch(`${env.bot.url}/argocd/events`, {
      method: 'POST',
      body: notification(),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    });
    expect(response.status).toBe(202);
    await eventually(() => env.world.argocd.requests.slice(before).some((r) => r.path.endsWith(PROD_APP)));
    await waitForQuiet(env.world, redis, prefix);
  });
});

describe('POST /github/events refuses a missing or wrong signature and changes nothing', () => {
  const secret: string = WORLD_SECRETS.GITHUB_WEBHOOK_SECRET;
  const hmac = (body: string, key = secret) => createHmac('sha256', key).update(body).digest();
  const statusBody = (state = 'success') =>
    JSON.stringify({
      sha: 'a'.repeat(40),
      state,
      context: 'ci/tests',
      target_url: null,
      repository: { full_name: REPO },
    });
  const cases: [string, () => { body: string; signature?: string }][] = [
    ['no signature', () => ({ body: statusBody() })],
    [
      'a signature made with another secret',
      () => ({ body: statusBody(), signature: `sha256=${hmac(statusBody(), 'nope').toString('hex')}` }),
    ],
    [
      'a truncated signature',
      () => ({ body: statusBody(), signature: `sha256=${hmac(statusBody()).toString('hex').slice(0, -2)}` }),
    ],
    [
      'upper-case hex',
      () => ({ body: statusBody(), signature: `sha256=${hmac(statusBody()).toString('hex').toUpperCase()}` }),
    ],
    [
      'a base64 digest',
      () => ({ body: statusBody(), signature: `sha256=${hmac(statusBody()).toString('base64')}` }),
    ],
    [
      'the digest without sha256=',
      () => ({ body: statusBody(), signature: hmac(statusBody()).toString('hex') }),
    ],
    [
      'a sha1= signature',
      () => ({
        body: statusBody(),
        signature: `sha1=${createHmac('sha1', secret).update(statusBody()).digest('hex')}`,
      }),
    ],
    [
      'a body changed after signing',
      () => ({
        body: statusBody('failure'),
        signature: `sha256=${hmac(statusBody('success')).toString('hex')}`,
      }),
    ],
  ];

  it.each(cases)('%s → 401, no store write', async (_name, build) => {
    const { body, signature } = build();
    const before = await captureSideEffects(env.world, redis, prefix);
    const response = await fetch(`${env.bot.url}/github/events`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'status',
        'x-github-delivery': randomUUID(),
        ...(signature ? { 'x-hub-signature-256': signature } : {}),
      },
    });
    expect(response.status).toBe(401);
    await expectNoSideEffects(before);
  });

  it('control: a correct signature is accepted and its delivery id recorded', async () => {
    const body = statusBody();
    const delivery = randomUUID();
    const response = await fetch(`${env.bot.url}/github/events`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'status',
        'x-github-delivery': delivery,
        'x-hub-signature-256': `sha256=${hmac(body).toString('hex')}`,
      },
    });
    expect(response.status).toBe(202);
    expect(await redis.exists(`${prefix}seen:github:${delivery}`)).toBe(1);
  });
});
