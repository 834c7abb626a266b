import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { APP_ID, PEOPLE, TEAM_ID } from '../../../sandbox/world/seed.js';
import { WORLD_SECRETS } from '../../../sandbox/world/start-world.js';
import { startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { deleteKeys, openRawRedis } from './support/redis-keys.js';
import { encodeInteraction, nowSeconds, postToSlackRoute, signSlackBody } from './support/slack-requests.js';

// Item 13 of the security review (issue 12), Enterprise Grid half: SLACK_TEAM_ID may name a Grid
// organisation (E…), but the preflight compared it with the workspace id only, so every request was
// refused. It now accepts the organisation's workspaces and still refuses everything else.
// HTTP only, by nature: it probes the signed route's preflight (its replay mark shows what passed).
// The same checks over Socket Mode (workspace, app, and a Grid organisation) are in socket-mode.test.ts.

const ORG = 'E0GAMEMETRICS';
const OTHER_ORG = 'E0OTHERORG';
/** Another workspace of the same organisation (an org-wide install reaches it too). */
const SISTER_TEAM = 'T0SISTERTEAM';
const CHANNEL = 'C0PRODDEPLOYS';
const SECRET: string = WORLD_SECRETS.SLACK_SIGNING_SECRET;
const prefix = `rel-grid:${randomUUID()}:`;
let env: WorldWithBot;
let redis: Redis;

beforeAll(async () => {
  env = await startWorldWithBot({}, { prefix, env: { SLACK_TEAM_ID: ORG } });
  redis = openRawRedis(inject('redisUrl'));
});
afterAll(async () => {
  await env?.stop();
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

type Org = string | null;
const user = (team: string) => ({ id: PEOPLE.alice.id, username: 'alice', name: 'alice', team_id: team });

/** The four body shapes Slack sends, as it sends them from a Grid workspace (`org` null: no Grid). */
const shapes: Record<string, (org: Org, team?: string) => { body: string; contentType?: string }> = {
  'an Events API body (JSON: enterprise_id, authorizations[].enterprise_id)': (org, team = TEAM_ID) => ({
    contentType: 'application/json',
    body: JSON.stringify({
      token: 'deprecated',
      team_id: team,
      ...(org ? { enterprise_id: org } : {}),
      api_app_id: APP_ID,
      type: 'event_callback',
      event: { type: 'app_mention', user: PEOPLE.alice.id, text: 'hi', channel: CHANNEL, ts: '1.2' },
      event_id: `Ev${randomUUID().slice(0, 8)}`,
      event_time: nowSeconds(),
      authorizations: [
        {
          enterprise_id: org,
          team_id: team,
          user_id: 'U0DEPLOYBOT',
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
    }),
  }),
  'an interaction (payload: enterprise.id, team.enterprise_id)': (org, team = TEAM_ID) => ({
    body: encodeInteraction({
      type: 'block_actions',
      user: user(team),
      api_app_id: APP_ID,
      token: 'deprecated',
      container: { type: 'message', message_ts: '1.2', channel_id: CHANNEL, is_ephemeral: false },
      trigger_id: '1.2.3',
      team: {
        id: team,
        domain: 'gamemetrics',
        ...(org ? { enterprise_id: org, enterprise_name: 'Org' } : {}),
      },
      enterprise: org ? { id: org, name: 'Org' } : null,
      is_enterprise_install: false,
      channel: { id: CHANNEL, name: 'prod-deploys' },
      state: { values: {} },
      response_url: 'http://127.0.0.1:9/response',
      actions: [
        {
          action_id: 'deploy_open_argocd',
          block_id: 'links',
          type: 'button',
          action_ts: String(nowSeconds()),
        },
      ],
    }),
  }),
  'a slash command (form: enterprise_id)': (org, team = TEAM_ID) => ({
    body: new URLSearchParams({
      token: 'deprecated',
      team_id: team,
      team_domain: 'gamemetrics',
      ...(org ? { enterprise_id: org, enterprise_name: 'Org' } : {}),
      channel_id: CHANNEL,
      channel_name: 'prod-deploys',
      user_id: PEOPLE.alice.id,
      user_name: 'alice',
      command: '/deploy-status',
      text: 'help',
      api_app_id: APP_ID,
      is_enterprise_install: 'false',
      response_url: 'http://127.0.0.1:9/response',
      trigger_id: '1.2.3',
    }).toString(),
  }),
  'a view submission (payload: enterprise.id, team.enterprise_id)': (org, team = TEAM_ID) => ({
    body: encodeInteraction({
      type: 'view_submission',
      team: {
        id: team,
        domain: 'gamemetrics',
        ...(org ? { enterprise_id: org, enterprise_name: 'Org' } : {}),
      },
      user: user(team),
      api_app_id: APP_ID,
      token: 'deprecated',
      trigger_id: '1.2.3',
      view: {
        id: 'V0REASON',
        team_id: team,
        type: 'modal',
        callback_id: 'deploy_reason_modal',
        private_metadata: '{}',
        state: { values: { reason_block: { reason_input: { type: 'plain_text_input', value: 'no' } } } },
        app_installed_team_id: team,
      },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: org ? { id: org, name: 'Org' } : null,
    }),
  }),
};

async function post({ body, contentType }: { body: string; contentType?: string }) {
  const ts = nowSeconds();
  const signature = signSlackBody(SECRET, ts, body);
  const response = await postToSlackRoute(env.bot.url, {
    body,
    timestamp: String(ts),
    signature,
    contentType,
  });
  // The preflight marks a signature used only once it has accepted the workspace.
  const passed = (await redis.exists(`${prefix}seen:slack-sig:${signature}`)) === 1;
  return { status: response.status, passed, text: await response.text() };
}

describe(`SLACK_TEAM_ID=${ORG} (an Enterprise Grid organisation)`, () => {
  const kinds = Object.entries(shapes);

  it.each(kinds)('accepts %s from a workspace of the organisation', async (_kind, shape) => {
    const answer = await post(shape(ORG));
    expect(answer.passed).toBe(true);
    expect(answer.status).toBe(200);
  });

  it.each(kinds)('accepts %s from another workspace of the same organisation', async (_kind, shape) => {
    const answer = await post(shape(ORG, SISTER_TEAM));
    expect(answer.passed).toBe(true);
    expect(answer.status).toBe(200);
  });

  it.each(kinds)('refuses %s from another organisation (401)', async (_kind, shape) => {
    expect(await post(shape(OTHER_ORG))).toMatchObject({ status: 401, passed: false });
  });

  it.each(kinds)('refuses %s from a workspace outside any organisation (401)', async (_kind, shape) => {
    expect(await post(shape(null, 'T0OTHERTEAM'))).toMatchObject({ status: 401, passed: false });
    // Our own workspace id without the organisation is not the organisation either.
    expect(await post(shape(null))).toMatchObject({ status: 401, passed: false });
  });

  it('refuses a body naming the organisation in one field and another in the next', async () => {
    const events = JSON.parse(
      shapes['an Events API body (JSON: enterprise_id, authorizations[].enterprise_id)']!(ORG).body,
    );
    events.authorizations[0].enterprise_id = OTHER_ORG;
    expect(await post({ body: JSON.stringify(events), contentType: 'application/json' })).toMatchObject({
      status: 401,
      passed: false,
    });
    const command = new URLSearchParams(shapes['a slash command (form: enterprise_id)']!(ORG).body);
    command.append('enterprise_id', OTHER_ORG);
    // A field given twice is not a Slack body at all: refused (400) before the workspace is looked at.
    const twice = await post({ body: command.toString() });
    expect(twice.passed).toBe(false);
    expect([400, 401]).toContain(twice.status);
  });
});
