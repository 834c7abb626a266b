import { App, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { FakeSlack } from '../../../sandbox/fake-slack/index.js';
import { createBoltApp } from '../../../src/app/create-bolt-app.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { createLogger } from '../../../src/logging/create-logger.js';
import { DEFAULT_TEST_POLICY } from '../../helpers/start-test-bot.js';
import { ALICE, createClient, DEPLOYS, deployCardBlocks, startTestFake } from './helpers.js';

async function openUrl(fake: FakeSlack, token: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${fake.apiUrl}apps.connections.open`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
  });
  return (await response.json()) as Record<string, unknown>;
}

/** A bare client speaking the protocol by hand: messages are collected, acks sent by the test. */
async function rawClient(fake: FakeSlack) {
  const { url } = await openUrl(fake, fake.appToken);
  const socket = new WebSocket(String(url));
  const messages: Record<string, unknown>[] = [];
  let closed = false;
  socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
  socket.on('close', () => {
    closed = true;
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  await until(() => messages.length > 0);
  return {
    socket,
    messages,
    isClosed: () => closed,
    ack: (envelopeId: string, payload?: Record<string, unknown>) =>
      socket.send(JSON.stringify({ envelope_id: envelopeId, ...(payload ? { payload } : {}) })),
  };
}

async function until(probe: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('fake Slack: Socket Mode', () => {
  it('apps.connections.open takes only the app-level token, as Slack does', async () => {
    const fake = await startTestFake();
    expect(await openUrl(fake, 'xapp-1-wrong-token-000000')).toEqual({ ok: false, error: 'invalid_auth' });
    expect(await openUrl(fake, fake.botToken)).toEqual({ ok: false, error: 'not_allowed_token_type' });
    expect(await openUrl(fake, '')).toEqual({ ok: false, error: 'not_authed' });
    const opened = await openUrl(fake, fake.appToken);
    expect(opened.ok).toBe(true);
    expect(String(opened.url)).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[\w-]+&app_id=A/);
  });

  it('a URL is single-use; a made-up ticket is refused', async () => {
    const fake = await startTestFake();
    const { url } = await openUrl(fake, fake.appToken);
    const first = new WebSocket(String(url));
    await new Promise((resolve) => first.once('open', resolve));
    const refused = (u: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(u);
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.once('error', () => resolve(-1));
      });
    expect(await refused(String(url))).toBe(401);
    expect(await refused(String(url).replace(/ticket=[\w-]+/, 'ticket=forged'))).toBe(401);
    first.terminate();
  });

  it('sends hello, delivers envelopes in Slack shape and takes the ack payload as the answer', async () => {
    const fake = await startTestFake({ transport: 'socket' });
    const client = await rawClient(fake);
    expect(client.messages[0]).toMatchObject({
      type: 'hello',
      num_connections: 1,
      connection_info: { app_id: fake.appId },
    });
    const ts = (
      await createClient(fake).chat.postMessage({ channel: DEPLOYS, text: 'x', blocks: deployCardBlocks() })
    ).ts as string;
    const click = fake.clickButton({ user: ALICE.id, channel: DEPLOYS, ts, actionId: 'deploy_approve_sync' });
    await until(() => client.messages.length > 1);
    const envelope = client.messages[1] as Record<string, unknown>;
    expect(envelope).toMatchObject({
      type: 'interactive',
      accepts_response_payload: true,
      retry_attempt: 0,
      retry_reason: '',
      payload: { type: 'block_actions', user: { id: ALICE.id } },
    });
    expect(envelope.envelope_id).toEqual(expect.any(String));
    client.ack(String(envelope.envelope_id), { text: 'ok' });
    const result = await click;
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ text: 'ok' });
    expect(fake.socket.acks).toEqual([
      expect.objectContaining({ type: 'interactive', late: false, missing: false, retryAttempt: 0 }),
    ]);

    const command = fake.slashCommand({
      user: ALICE.id,
      channel: DEPLOYS,
      command: '/deploy-status',
      text: '',
    });
    await until(() => client.messages.length > 2);
    expect(client.messages[2]).toMatchObject({
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: { command: '/deploy-status', user_id: ALICE.id, team_id: fake.teamId },
    });
    client.ack(String(client.messages[2]?.envelope_id));
    expect((await command).status).toBe(200);

    const event = fake.sendEvent({
      event: { type: 'app_home_opened', user: ALICE.id, tab: 'home' },
      retryNum: 1,
    });
    await until(() => client.messages.length > 3);
    expect(client.messages[3]).toMatchObject({
      type: 'events_api',
      accepts_response_payload: false,
      retry_attempt: 1,
      payload: { type: 'event_callback', event: { type: 'app_home_opened' }, event_id: expect.any(String) },
    });
    client.ack(String(client.messages[3]?.envelope_id));
    expect((await event).status).toBe(200);
    client.socket.terminate();
  });

  it('records a missing ack after 3 s (408) and a late one when it comes', async () => {
    const fake = await startTestFake({ transport: 'socket' });
    const client = await rawClient(fake);
    const ts = (
      await createClient(fake).chat.postMessage({ channel: DEPLOYS, text: 'x', blocks: deployCardBlocks() })
    ).ts as string;
    const result = await fake.clickButton({
      user: ALICE.id,
      channel: DEPLOYS,
      ts,
      actionId: 'deploy_approve_sync',
    });
    expect(result.status).toBe(408);
    expect(fake.socket.acks[0]).toMatchObject({ missing: true });
    client.ack(String(client.messages[1]?.envelope_id));
    await until(() => fake.socket.acks[0]?.missing === false);
    expect(fake.socket.acks[0]).toMatchObject({ late: true, missing: false });
    client.socket.terminate();
  }, 10_000);

  it('gives each envelope to one of several connections; disconnect and drop on demand', async () => {
    const fake = await startTestFake({ transport: 'socket' });
    const a = await rawClient(fake);
    const b = await rawClient(fake);
    expect(b.messages[0]).toMatchObject({ type: 'hello', num_connections: 2 });
    const autoAck = (c: typeof a) =>
      c.socket.on('message', (data) => {
        const m = JSON.parse(data.toString()) as { envelope_id?: string };
        if (m.envelope_id) c.ack(m.envelope_id);
      });
    autoAck(a);
    autoAck(b);
    for (let i = 0; i < 4; i++) await fake.sendEvent({ event: { type: 'app_home_opened', user: ALICE.id } });
    const envelopes = (c: typeof a) => c.messages.filter((m) => m.envelope_id).length;
    expect(envelopes(a) + envelopes(b)).toBe(4);
    expect(envelopes(a)).toBeGreaterThan(0);
    expect(envelopes(b)).toBeGreaterThan(0);

    const [first, second] = fake.socket.connections;
    fake.socket.disconnect('refresh_requested', first?.id);
    await until(() => a.messages.some((m) => m.type === 'disconnect'));
    expect(a.messages.at(-1)).toMatchObject({ type: 'disconnect', reason: 'refresh_requested' });
    fake.socket.drop(second?.id);
    await until(() => b.isClosed());
    await until(() => fake.socket.connections.length === 1);
    a.socket.close();
    await until(() => fake.socket.connections.length === 0);
    await expect(fake.sendEvent({ event: { type: 'app_home_opened', user: ALICE.id } })).rejects.toThrow(
      /no open Socket Mode connection/,
    );
  });

  it("Bolt's socket receiver calls apps.connections.open at SLACK_API_URL (clientOptions pass through)", async () => {
    const fake = await startTestFake({ transport: 'socket' });
    const config = await loadConfig({
      env: {
        SLACK_BOT_TOKEN: fake.botToken,
        SLACK_APP_TOKEN: fake.appToken,
        SLACK_API_URL: fake.apiUrl,
        ARGOCD_URL: 'http://127.0.0.1:9',
        ARGOCD_TOKEN: 'argocd-test-token-8d7e6f',
        ARGOCD_WEBHOOK_SECRET: 'argocd-webhook-secret-3b4c5d',
      },
      readText: async () => DEFAULT_TEST_POLICY,
    });
    const { bolt, socketMode } = createBoltApp(config, createLogger({ level: 'silent', secrets: [] }));
    expect(socketMode).toBe(true);
    bolt.action('deploy_approve_sync', async ({ ack }) => ack());
    await bolt.start();
    try {
      expect(fake.callsTo('apps.connections.open')).toHaveLength(1);
      expect(fake.socket.connections).toHaveLength(1);
      const ts = (
        await createClient(fake).chat.postMessage({ channel: DEPLOYS, text: 'x', blocks: deployCardBlocks() })
      ).ts as string;
      const click = await fake.clickButton({
        user: ALICE.id,
        channel: DEPLOYS,
        ts,
        actionId: 'deploy_approve_sync',
      });
      expect(click.status).toBe(200);
      expect(fake.socket.acks.at(-1)).toMatchObject({ missing: false, late: false });
    } finally {
      await bolt.stop();
    }
  });

  it('a plain Bolt App with socketMode sends apps.connections.open to clientOptions.slackApiUrl', async () => {
    // Pins the Bolt behaviour create-bolt-app relies on: App hands clientOptions to its SocketModeReceiver.
    const fake = await startTestFake({ transport: 'socket' });
    const app = new App({
      token: fake.botToken,
      appToken: fake.appToken,
      socketMode: true,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl },
    });
    expect(app).toBeDefined();
    expect(SocketModeReceiver).toBeDefined();
    await app.start();
    try {
      expect(fake.callsTo('apps.connections.open')).toHaveLength(1);
    } finally {
      await app.stop();
    }
  });
});
