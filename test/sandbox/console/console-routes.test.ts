import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsole, type SandboxConsole } from '../../../sandbox/console/index.js';
import { type FakeSlack, startFakeSlack } from '../../../sandbox/fake-slack/index.js';

let slack: FakeSlack;
let sandboxConsole: SandboxConsole;
const scenarioCalls: string[] = [];

beforeAll(async () => {
  let handler: SandboxConsole['handle'] | undefined;
  slack = await startFakeSlack({
    users: [
      { id: 'U0ALICE', name: 'alice', realName: 'Alice Approver', email: 'a@example.com' },
      { id: 'U0DAVE', name: 'dave', realName: 'Dave Developer', email: 'd@example.com' },
    ],
    channels: [
      { id: 'C0DEPLOYS', name: 'deploys' },
      { id: 'C0PRODDEPLOYS', name: 'prod-deploys' },
    ],
    fallback: (req, res) => handler?.(req, res),
  });
  sandboxConsole = await createConsole({
    slack,
    defaultUser: 'U0DAVE',
    roles: { U0ALICE: 'approver' },
    scenarios: [
      {
        id: 'push-main',
        label: 'Push <main>',
        async run({ user }) {
          scenarioCalls.push(user);
          return `pushed as ${user}`;
        },
      },
    ],
  });
  handler = sandboxConsole.handle;
});

afterAll(async () => {
  sandboxConsole?.close();
  await slack?.close();
});

const postJson = (path: string, body: unknown) =>
  fetch(`${slack.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('console pages', () => {
  it('serves the page with channels, the user switcher and a strict CSP', async () => {
    const response = await fetch(`${slack.url}/?channel=prod-deploys`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).toContain('data-user="U0DAVE" data-channel="C0PRODDEPLOYS"');
    expect(html).toContain('alice — approver');
    expect(html).toContain('>Push &lt;main&gt;</button>');
    expect(html).not.toMatch(/<script>/);
  });

  it('shows a message typed by a user as text, never as markup', async () => {
    const sent = await postJson('/console/compose', {
      user: 'U0ALICE',
      channel: 'C0DEPLOYS',
      text: 'hello <script>alert(1)</script> & *bold*',
    });
    expect(sent.status).toBe(200);
    const [message] = slack.channelMessages('C0DEPLOYS');
    expect(message?.text).toBe('hello &lt;script&gt;alert(1)&lt;/script&gt; &amp; *bold*');
    const regions = (await (
      await fetch(`${slack.url}/console/regions?user=dave&channel=deploys`)
    ).json()) as {
      timeline: string;
    };
    expect(regions.timeline).toContain(
      'hello &lt;script&gt;alert(1)&lt;/script&gt; &amp; <strong>bold</strong>',
    );
    expect(regions.timeline).not.toContain('<script>');
  });

  it('opens a permalink in its channel, at the message', async () => {
    const message = slack.postUserMessage({ channel: 'C0PRODDEPLOYS', user: 'U0DAVE', text: 'linked' });
    const path = `/archives/C0PRODDEPLOYS/p${message.ts.replace('.', '')}`;
    const response = await fetch(`${slack.url}${path}`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(
      `/?user=U0DAVE&channel=C0PRODDEPLOYS#msg-${message.ts.replace('.', '-')}`,
    );
  });

  it('tells a slash command that nobody answers the way Slack does', async () => {
    const response = await postJson('/console/compose', {
      user: 'U0DAVE',
      channel: 'C0PRODDEPLOYS',
      text: '/deploy-status',
    });
    // No app is configured: the fake cannot deliver the command at all.
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/appRequestUrl/);
  });
});

describe('console actions', () => {
  it('accepts JSON only, so other web pages cannot post forms to it', async () => {
    const response = await fetch(`${slack.url}/console/scenario/push-main`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'user=U0DAVE',
    });
    expect(response.status).toBe(415);
    expect(scenarioCalls).toEqual([]);
  });

  it('runs a scenario as the current user and reports what it did', async () => {
    const response = await postJson('/console/scenario/push-main', { user: 'U0ALICE' });
    expect(await response.json()).toEqual({ message: 'pushed as U0ALICE' });
    expect(scenarioCalls).toEqual(['U0ALICE']);
    expect((await postJson('/console/scenario/nope', { user: 'U0ALICE' })).status).toBe(404);
  });

  it('refuses a click on a button the message does not have', async () => {
    const message = slack.postUserMessage({ channel: 'C0DEPLOYS', user: 'U0DAVE', text: 'no buttons' });
    const response = await postJson('/console/click', {
      user: 'U0DAVE',
      channel: 'C0DEPLOYS',
      ts: message.ts,
      actionId: 'deploy_approve_sync',
    });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: string }).error).toMatch(/shows no button/);
  });

  it('shows a modal opened with views.open to its user only, until it is cancelled', async () => {
    const opened = await fetch(`${slack.apiUrl}views.open`, {
      method: 'POST',
      headers: { authorization: `Bearer ${slack.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        trigger_id: slack.issueTriggerId('U0ALICE'),
        view: {
          type: 'modal',
          callback_id: 'why',
          title: { type: 'plain_text', text: 'Why <not>?' },
          submit: { type: 'plain_text', text: 'Send' },
          blocks: [
            {
              type: 'input',
              block_id: 'b',
              label: { type: 'plain_text', text: 'Reason' },
              element: { type: 'plain_text_input', action_id: 'a' },
            },
          ],
        },
      }),
    });
    const { view } = (await opened.json()) as { view: { id: string } };
    const regionsFor = async (user: string) =>
      (await (await fetch(`${slack.url}/console/regions?user=${user}&channel=deploys`)).json()) as {
        modal: string;
        modalKey: string;
      };
    const alice = await regionsFor('alice');
    expect(alice.modal).toContain('>Why &lt;not&gt;?</h2>');
    expect(alice.modalKey).toContain(view.id);
    expect((await regionsFor('dave')).modal).toBe('');
    expect((await postJson('/console/close-view', { user: 'U0ALICE', viewId: view.id })).status).toBe(200);
    expect((await regionsFor('alice')).modal).toBe('');
  });

  it('pushes a live-update event when Slack changes', async () => {
    const controller = new AbortController();
    const response = await fetch(`${slack.url}/console/events`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const read = async () => decoder.decode((await reader.read()).value);
    expect(await read()).toContain('event: change');
    slack.postUserMessage({ channel: 'C0DEPLOYS', user: 'U0ALICE', text: 'live' });
    expect(await read()).toMatch(/event: change\ndata: [1-9]/);
    controller.abort();
  });
});
