import type { AddressInfo } from 'node:net';
import { App, type BlockAction, type ButtonAction, LogLevel } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildBlockActionsPayload,
  buildSignedHeaders,
  encodePayloadBody,
  type FakeSlack,
} from '../../../sandbox/fake-slack/index.js';
import { ALICE, BOB, createClient, DEPLOYS, deployCardBlocks, SECTION, startTestFake } from './helpers.js';

const SECRET = 'deploybot-test-signing-secret-0001';
const apps: App[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.stop()));
});

/** A real Bolt 5 app on an ephemeral port, talking to the fake and driven by it. */
async function startBolt(
  fake: FakeSlack,
  register: (app: App) => void,
): Promise<{ app: App; requestUrl: string }> {
  const app = new App({
    token: fake.botToken,
    signingSecret: SECRET,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true },
  });
  register(app);
  const server = (await app.start(0)) as { address(): AddressInfo };
  apps.push(app);
  const requestUrl = `http://127.0.0.1:${server.address().port}/slack/events`;
  fake.configureApp({ requestUrl, signingSecret: SECRET });
  return { app, requestUrl };
}

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

async function postCard(fake: FakeSlack): Promise<string> {
  const card = await createClient(fake).chat.postMessage({
    channel: DEPLOYS,
    text: 'Deploy',
    blocks: deployCardBlocks(),
  });
  return card.ts ?? '';
}

describe('the fake drives a real Bolt app', () => {
  it('routes clickButton to app.action with the right user and value; the listener updates the card', async () => {
    const fake = await startTestFake();
    const handled = deferred<{ user: string; value: string | undefined; teamId: string | undefined }>();
    await startBolt(fake, (app) => {
      app.action<BlockAction<ButtonAction>>(
        'deploy_approve_sync',
        async ({ ack, body, action, client, respond }) => {
          await ack();
          await client.chat.update({
            channel: body.container.channel_id,
            ts: body.container.message_ts,
            text: 'Deploy approved',
            blocks: [SECTION(`Approved by <@${body.user.id}>`)],
          });
          await respond({ replace_original: false, response_type: 'ephemeral', text: 'Sync started' });
          handled.resolve({ user: body.user.id, value: action.value, teamId: body.team?.id });
        },
      );
    });
    const ts = await postCard(fake);
    const click = await fake.clickButton({
      user: ALICE.id,
      channel: DEPLOYS,
      ts,
      actionId: 'deploy_approve_sync',
    });
    expect(click.status).toBe(200);
    expect(await handled.promise).toEqual({
      user: ALICE.id,
      value: JSON.stringify({ deployId: 'dep-42' }),
      teamId: fake.teamId,
    });
    expect(fake.channelMessages(DEPLOYS)[0]).toMatchObject({
      ts,
      text: 'Deploy approved',
      blocks: [expect.anything()],
    });
    // Bolt's listener client adds team_id, and the fake accepts it.
    expect(fake.callsTo('chat.update')[0]?.args.team_id).toBe(fake.teamId);
    expect(fake.ephemerals({ user: ALICE.id }).map((e) => e.text)).toEqual(['Sync started']);
    // Bolt verified the token at start with auth.test against the fake.
    expect(fake.callsTo('auth.test').length).toBeGreaterThan(0);
  });

  it('refuses a wrongly signed or stale request with 401 and runs no listener', async () => {
    const fake = await startTestFake();
    let ran = false;
    const { requestUrl } = await startBolt(fake, (app) => {
      app.action('deploy_approve_sync', async ({ ack }) => {
        ran = true;
        await ack();
      });
    });
    const ts = await postCard(fake);
    const [message] = fake.channelMessages(DEPLOYS);
    const actions = message?.blocks?.[2] as { elements: Record<string, unknown>[] };
    const body = encodePayloadBody(
      buildBlockActionsPayload({
        workspace: {
          teamId: fake.teamId,
          teamDomain: fake.teamDomain,
          appId: fake.appId,
          verificationToken: 'x',
        },
        user: { id: ALICE.id, name: ALICE.name },
        channel: { id: DEPLOYS, name: 'deploys' },
        message,
        messageTs: ts,
        isEphemeral: false,
        element: actions.elements[0] ?? {},
        blockId: 'deploy_actions:dep-42',
        triggerId: fake.issueTriggerId(ALICE.id),
        responseUrl: fake.createResponseUrl({ channel: DEPLOYS, user: ALICE.id, messageTs: ts }),
        actionTs: ts,
      }),
    );
    const send = (headers: Record<string, string>) => fetch(requestUrl, { method: 'POST', headers, body });
    expect((await send(buildSignedHeaders('not-the-secret', body))).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 301;
    expect((await send(buildSignedHeaders(SECRET, body, stale))).status).toBe(401);
    fake.configureApp({ signingSecret: 'a-forged-secret' });
    const forged = await fake.clickButton({
      user: ALICE.id,
      channel: DEPLOYS,
      ts,
      actionId: 'deploy_approve_sync',
    });
    expect(forged.status).toBe(401);
    expect(ran).toBe(false);
    expect((await send(buildSignedHeaders(SECRET, body))).status).toBe(200);
    expect(ran).toBe(true);
  });

  it('opens a modal from a click with the trigger_id, then submits it: errors keep it open, a plain ack closes it', async () => {
    const fake = await startTestFake();
    const submitted = deferred<{ reason: string | null | undefined; metadata: string }>();
    await startBolt(fake, (app) => {
      app.action<BlockAction<ButtonAction>>('deploy_reject', async ({ ack, body, client }) => {
        await ack();
        await client.views.open({
          trigger_id: body.trigger_id,
          view: {
            type: 'modal',
            callback_id: 'deploy_reason_modal',
            private_metadata: JSON.stringify({ ts: body.container.message_ts }),
            title: { type: 'plain_text', text: 'Reject deploy' },
            submit: { type: 'plain_text', text: 'Reject' },
            blocks: [
              {
                type: 'input',
                block_id: 'reason_block',
                label: { type: 'plain_text', text: 'Reason' },
                element: { type: 'plain_text_input', action_id: 'reason_input' },
              },
            ],
          },
        });
      });
      app.view('deploy_reason_modal', async ({ ack, view }) => {
        const reason = view.state.values.reason_block?.reason_input?.value;
        if (!reason || reason.length < 10) {
          await ack({ response_action: 'errors', errors: { reason_block: 'Say why, in a sentence' } });
          return;
        }
        await ack();
        submitted.resolve({ reason, metadata: view.private_metadata });
      });
    });
    const ts = await postCard(fake);
    await fake.clickButton({ user: BOB.id, channel: DEPLOYS, ts, actionId: 'deploy_reject' });
    await expect.poll(() => fake.views.length).toBe(1);
    const viewId = fake.views[0]?.id ?? '';
    expect(fake.views[0]?.user).toBe(BOB.id);
    const short = await fake.submitView({
      user: BOB.id,
      viewId,
      values: { reason_block: { reason_input: 'no' } },
    });
    expect(short).toMatchObject({ status: 200, responseAction: 'errors', viewOpen: true });
    expect(short.errors).toEqual({ reason_block: 'Say why, in a sentence' });
    // Slack's UI does not let a user submit a required input empty, so the app never sees it.
    await expect(fake.submitView({ user: BOB.id, viewId, values: {} })).rejects.toThrow('is required');
    const reason = 'Canary error rate is above the SLO';
    const ok = await fake.submitView({
      user: BOB.id,
      viewId,
      values: { reason_block: { reason_input: reason } },
    });
    expect(ok).toMatchObject({ status: 200, body: '', viewOpen: false });
    expect(await submitted.promise).toEqual({ reason, metadata: JSON.stringify({ ts }) });
    expect(fake.views[0]?.open).toBe(false);
  });

  it('runs a slash command; the ack is shown to the user, respond() can post in the channel', async () => {
    const fake = await startTestFake();
    const responded = deferred<void>();
    await startBolt(fake, (app) => {
      app.command('/deploy-status', async ({ ack, command, respond }) => {
        await ack({ response_type: 'ephemeral', text: `Looking up ${command.text}` });
        await respond({ response_type: 'in_channel', text: 'payments: prod at abc1234' });
        responded.resolve();
      });
    });
    const result = await fake.slashCommand({
      user: ALICE.id,
      channel: DEPLOYS,
      command: '/deploy-status',
      text: 'payments prod',
    });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ response_type: 'ephemeral', text: 'Looking up payments prod' });
    expect(fake.ephemerals({ user: ALICE.id })).toEqual([
      expect.objectContaining({ text: 'Looking up payments prod', source: 'command_ack' }),
    ]);
    await responded.promise;
    expect(fake.channelMessages(DEPLOYS).map((m) => m.text)).toEqual(['payments: prod at abc1234']);
  });

  it('cannot click a button the message no longer shows (after chat.update dropped the blocks)', async () => {
    const fake = await startTestFake();
    await startBolt(fake, () => {});
    const ts = await postCard(fake);
    await createClient(fake).chat.update({ channel: DEPLOYS, ts, text: 'Deploy approved' });
    await expect(
      fake.clickButton({ user: ALICE.id, channel: DEPLOYS, ts, actionId: 'deploy_approve_sync' }),
    ).rejects.toThrow('shows no button deploy_approve_sync');
    await expect(fake.clickButton({ user: 'U0NOBODY', channel: DEPLOYS, ts, actionId: 'x' })).rejects.toThrow(
      'no user',
    );
  });
});
