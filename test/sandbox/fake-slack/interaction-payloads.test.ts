import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildBlockActionsPayload,
  buildSignedHeaders,
  buildSlashCommandBody,
  buildViewSubmissionPayload,
  encodePayloadBody,
  type JsonObject,
  type SlackMessage,
  type SlackView,
  signSlackRequest,
} from '../../../sandbox/fake-slack/index.js';
import { ALICE, createClient, DEPLOYS, SIGNING_SECRET, startStubApp, startTestFake } from './helpers.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const blockActions = JSON.parse(fixture('example-block-actions.json')) as JsonObject & {
  message: SlackMessage;
};
const viewSubmission = JSON.parse(fixture('example-view-submission.json')) as JsonObject & {
  view: SlackView;
};
const SECRET = SIGNING_SECRET;
const WORKSPACE = {
  teamId: 'T01EXAMPLE',
  teamDomain: 'acme-eng',
  appId: 'A0DEPLOYBOT',
  verificationToken: 'deprecated-verification-token',
};

/** The blocks as the bot sends them: without the defaults Slack adds when it stores them. */
function stripSlackDefaults(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripSlackDefaults);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).filter(([key]) => key !== 'emoji' && key !== 'verbatim');
  return Object.fromEntries(entries.map(([key, inner]) => [key, stripSlackDefaults(inner)]));
}

const decodePayload = (body: string) =>
  JSON.parse(new URLSearchParams(body).get('payload') ?? '') as JsonObject;

describe('request signing', () => {
  it('reproduces the vectors of signing.md', () => {
    expect(signSlackRequest(SECRET, 1767225662, 'hello=world')).toBe(
      'v0=7cdb30bde308af457ef0ccada4f3763410c14abeab727101f5e8218a0c0aea77',
    );
    expect(signSlackRequest(SECRET, 1767225662, fixture('example-block-actions.body.txt'))).toBe(
      'v0=6d12f8e4978ac391ddd1379ca285796be61580c2e87190016b1566372e5f6c41',
    );
    expect(signSlackRequest(SECRET, '1767225662', fixture('example-slash-command.txt'))).toBe(
      'v0=f7919fd26bf8e8172c811cf75189f9635815a7dd19255839a0e37746d45c1200',
    );
    expect(
      signSlackRequest(
        '8f742231b10e8888abcd99yyyzzz85a5',
        1531420618,
        'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
      ),
    ).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
  });

  it('builds headers with the exact content type Bolt requires', () => {
    expect(buildSignedHeaders(SECRET, 'hello=world', 1767225662)).toEqual({
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': '1767225662',
      'x-slack-signature': 'v0=7cdb30bde308af457ef0ccada4f3763410c14abeab727101f5e8218a0c0aea77',
    });
  });
});

describe('body builders reproduce the example bodies byte for byte', () => {
  it('block_actions', () => {
    const actionsBlock = blockActions.message.blocks?.[2] as { elements: JsonObject[] };
    const payload = buildBlockActionsPayload({
      workspace: WORKSPACE,
      user: { id: 'U0ALICE0001', name: 'alice' },
      channel: { id: 'C0DEPLOYS01', name: 'deploys' },
      message: blockActions.message,
      messageTs: '1767225600.000100',
      isEphemeral: false,
      element: actionsBlock.elements[0] ?? {},
      blockId: 'deploy_actions:dep-42',
      triggerId: '8123456789012.1234567890123.0123456789abcdef0123456789abcdef',
      responseUrl: 'https://hooks.slack.com/actions/T01EXAMPLE/8123456789012/Zx9YwVuTsRqPoNmLkJiHgFeD',
      actionTs: '1767225661.512345',
    });
    expect(encodePayloadBody(payload)).toBe(fixture('example-block-actions.body.txt'));
  });

  it('view_submission', () => {
    const payload = buildViewSubmissionPayload({
      workspace: WORKSPACE,
      user: { id: 'U0ALICE0001', name: 'alice' },
      view: viewSubmission.view,
      triggerId: '8123456789999.1234567890123.fedcba9876543210fedcba9876543210',
    });
    expect(encodePayloadBody(payload)).toBe(fixture('example-view-submission.body.txt'));
  });

  it('slash command', () => {
    const body = buildSlashCommandBody({
      workspace: WORKSPACE,
      user: { id: 'U0ALICE0001', name: 'alice' },
      channel: { id: 'C0DEPLOYS01', name: 'deploys' },
      command: '/deploy-status',
      text: 'payments prod',
      responseUrl: 'https://hooks.slack.com/commands/T01EXAMPLE/8123456789555/Ab12Cd34Ef56Gh78Ij90KlMn',
      triggerId: '8123456789555.1234567890123.00112233445566778899aabbccddeeff',
    });
    expect(body).toBe(fixture('example-slash-command.txt'));
  });
});

describe('what the fake sends to the app', () => {
  it('clickButton on a stored card sends the example block_actions, signed, with fresh ids', async () => {
    const fake = await startTestFake();
    const recorder = await startStubApp(fake);
    const { text, blocks } = blockActions.message;
    const posted = await createClient(fake).chat.postMessage({
      channel: DEPLOYS,
      text,
      blocks: stripSlackDefaults(blocks) as never,
    });
    const result = await fake.clickButton({
      user: ALICE.id,
      channel: DEPLOYS,
      ts: posted.ts ?? '',
      actionId: 'deploy_approve_sync',
    });
    const [request] = recorder.received;
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const timestamp = String(request?.headers['x-slack-request-timestamp']);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
    expect(request?.headers['x-slack-signature']).toBe(
      signSlackRequest(SECRET, timestamp, request?.body ?? ''),
    );
    const payload = decodePayload(request?.body ?? '');
    expect(payload.trigger_id).toBe(result.triggerId);
    expect(payload.response_url).toBe(result.responseUrl);
    expect(result.triggerId).toMatch(/^\d{13}\.\d{13}\.[0-9a-f]{32}$/);
    const withExampleIds = JSON.stringify({
      ...payload,
      container: { ...(payload.container as JsonObject), message_ts: '1767225600.000100' },
      trigger_id: blockActions.trigger_id,
      message: { ...(payload.message as JsonObject), ts: '1767225600.000100' },
      response_url: blockActions.response_url,
      actions: [{ ...(payload.actions as JsonObject[])[0], action_ts: '1767225661.512345' }],
    });
    expect(withExampleIds).toBe(JSON.stringify(blockActions));
  });

  it('submitView sends the example view_submission with the typed value in state.values', async () => {
    const fake = await startTestFake();
    const recorder = await startStubApp(fake);
    const { id: _id, hash: _hash, state: _state, root_view_id: _root, ...sent } = viewSubmission.view;
    const opened = await createClient(fake).views.open({
      trigger_id: fake.issueTriggerId(ALICE.id),
      view: stripSlackDefaults(sent) as never,
    });
    const viewId = opened.view?.id ?? '';
    const reason = 'Canary error rate is above the SLO; investigating first.';
    await fake.submitView({ user: ALICE.id, viewId, values: { reason_block: { reason_input: reason } } });
    const payload = decodePayload(recorder.received[0]?.body ?? '');
    const view = payload.view as JsonObject;
    expect(view.id).toBe(viewId);
    const withExampleIds = JSON.stringify({
      ...payload,
      trigger_id: viewSubmission.trigger_id,
      view: { ...view, id: 'V0REASON001', hash: viewSubmission.view.hash, root_view_id: 'V0REASON001' },
    });
    expect(withExampleIds).toBe(JSON.stringify(viewSubmission));
  });

  it('slashCommand sends the example form body with a fresh response_url and trigger_id', async () => {
    const fake = await startTestFake();
    const recorder = await startStubApp(fake);
    const result = await fake.slashCommand({
      user: ALICE.id,
      channel: DEPLOYS,
      command: '/deploy-status',
      text: 'payments prod',
    });
    const body = recorder.received[0]?.body ?? '';
    expect(body).toBe(result.rawBody);
    const fields = new URLSearchParams(body);
    expect(fields.get('response_url')).toBe(result.responseUrl);
    fields.set(
      'response_url',
      'https://hooks.slack.com/commands/T01EXAMPLE/8123456789555/Ab12Cd34Ef56Gh78Ij90KlMn',
    );
    fields.set('trigger_id', '8123456789555.1234567890123.00112233445566778899aabbccddeeff');
    expect(fields.toString()).toBe(fixture('example-slash-command.txt'));
  });
});
