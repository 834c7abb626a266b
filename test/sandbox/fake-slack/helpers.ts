import { createServer, type IncomingMessage } from 'node:http';
import { webApi } from '@slack/bolt';
import { afterEach } from 'vitest';
import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from '../../../sandbox/fake-slack/index.js';

export const ALICE = {
  id: 'U0ALICE0001',
  name: 'alice',
  realName: 'Alice Approver',
  email: 'alice@example.com',
};
export const BOB = { id: 'U0BOB000001', name: 'bob', realName: 'Bob Builder', email: 'Bob@Example.com' };
const MALLORY = {
  id: 'U0MALLORY01',
  name: 'mallory',
  realName: 'Mallory',
  email: 'mallory@example.com',
};
export const DEPLOYS = 'C0DEPLOYS01';
export const RANDOM = 'C0RANDOM001';

const BASE_OPTIONS: FakeSlackOptions = {
  users: [ALICE, BOB, MALLORY],
  channels: [
    { id: DEPLOYS, name: 'deploys' },
    { id: RANDOM, name: 'random', members: [ALICE.id] },
  ],
  usergroups: [{ id: 'S0ONCALL001', handle: 'oncall', users: [ALICE.id, BOB.id] }],
};

const started: FakeSlack[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((fake) => fake.close()));
});

/** A fake closed after the test. */
export async function startTestFake(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const fake = await startFakeSlack({ ...BASE_OPTIONS, ...options });
  started.push(fake);
  return fake;
}

/** The real SDK client, configured the way tests must: no retries, 429 rejected at once; `null`: no token. */
export function createClient(fake: FakeSlack, token: string | null = fake.botToken): webApi.WebClient {
  return new webApi.WebClient(token ?? undefined, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: webApi.LogLevel.ERROR,
  });
}

/** The rejection of a WebClient call, for asserting on `code` and `data.error`. */
export async function callError(
  call: Promise<unknown>,
): Promise<{ code?: string; data?: Record<string, unknown> } & Error> {
  try {
    await call;
  } catch (error) {
    return error as { code?: string; data?: Record<string, unknown> } & Error;
  }
  throw new Error('expected the call to fail');
}

export const SECTION = (text: string, blockId?: string) => ({
  type: 'section',
  ...(blockId ? { block_id: blockId } : {}),
  text: { type: 'mrkdwn', text },
});

export function deployCardBlocks(deployId = 'dep-42') {
  const value = JSON.stringify({ deployId });
  return [
    { type: 'header', block_id: 'deploy_header', text: { type: 'plain_text', text: `Deploy ${deployId}` } },
    SECTION('*App:* payments', 'deploy_fields'),
    {
      type: 'actions',
      block_id: `deploy_actions:${deployId}`,
      elements: [
        {
          type: 'button',
          action_id: 'deploy_approve_sync',
          text: { type: 'plain_text', text: 'Approve & Sync' },
          style: 'primary',
          value,
        },
        {
          type: 'button',
          action_id: 'deploy_reject',
          text: { type: 'plain_text', text: 'Reject' },
          style: 'danger',
          value,
        },
      ],
    },
  ];
}

export const SIGNING_SECRET = 'deploybot-test-signing-secret-0001';

export interface StubApp {
  received: { body: string; headers: IncomingMessage['headers'] }[];
  /** The next answers, in order; an empty ack (200, no body) once they run out. */
  answers: { status: number; body: string }[];
}

/** A stand-in app that records the exact bytes it receives and answers with queued acks; closed after the test. */
export async function startStubApp(fake: FakeSlack): Promise<StubApp> {
  const stub: StubApp = { received: [], answers: [] };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      stub.received.push({ body, headers: req.headers });
      const answer = stub.answers.shift() ?? { status: 200, body: '' };
      res
        .writeHead(answer.status, answer.body ? { 'content-type': 'application/json' } : {})
        .end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  fake.configureApp({ requestUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET });
  stubServers.push(server);
  return stub;
}

const stubServers: ReturnType<typeof createServer>[] = [];

afterEach(async () => {
  await Promise.all(stubServers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});
