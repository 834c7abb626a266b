import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ID, TEAM_ID } from '../../sandbox/world/seed.js';
import { WORLD_SECRETS } from '../../sandbox/world/start-world.js';
import { ACTION_IDS, VIEW_IDS } from '../../src/render/ids.js';
import { nowSeconds, signSlackBody } from '../integration/reliability/support/slack-requests.js';
import { asBuffer, awkwardBody, contentType, headerValue, weird } from './support/arbitraries.js';
import { type FuzzBot, startFuzzBot } from './support/fuzz-bot.js';
import { fuzzRuns, fuzzTimeout } from './support/fuzz-runs.js';
import { type RawResponse, sendRaw } from './support/raw-http.js';

const RUNS = fuzzRuns(400);
// Signed requests that no listener acknowledges take Bolt's 3 s: they are sent in concurrent batches.
const BATCH = 100;
const BATCHES = Math.max(1, Math.ceil(fuzzRuns(BATCH) / BATCH));
const SECRET = WORLD_SECRETS.SLACK_SIGNING_SECRET;
const DEAD_URL = 'http://127.0.0.1:9/response/fuzz';

let fuzz: FuzzBot;
beforeAll(async () => {
  fuzz = await startFuzzBot({ world: true });
});
afterAll(async () => {
  await fuzz?.stop();
});

function post(body: Buffer, headers: Record<string, string | string[] | undefined>): Promise<RawResponse> {
  return sendRaw(fuzz.port, {
    method: 'POST',
    path: '/slack/events',
    headers: Object.fromEntries(
      Object.entries(headers).filter((e): e is [string, string | string[]] => e[1] !== undefined),
    ),
    body,
  });
}

function postSigned(body: Buffer, type: string | undefined): Promise<RawResponse> {
  const ts = nowSeconds();
  return post(body, {
    'content-type': type,
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': signSlackBody(SECRET, ts, body.toString('utf8')),
  });
}

const timestamp = fc.oneof(
  fc.constant(undefined),
  headerValue(16),
  fc.integer({ min: -1000, max: 1000 }).map((d) => String(nowSeconds() + d)),
  fc.integer().map(String),
);
const signature = fc.oneof(
  fc.constant(undefined),
  headerValue(),
  fc.stringMatching(/^v0=[0-9a-f]{64}$/),
  fc.array(fc.stringMatching(/^v0=[0-9a-f]{64}$/), { minLength: 2, maxLength: 2 }),
);

/** Mostly the right kind of value, sometimes anything: deep fields get reached and still get odd values. */
const mostly = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 9, arbitrary: valid }, { weight: 1, arbitrary: weird });

const metadata = fc
  .record({
    cardId: fc.string({ maxLength: 14 }),
    channel: fc.constant('C0PRODDEPLOYS'),
    messageTs: fc.string(),
  })
  .map((m) => JSON.stringify(m));

/** Interaction payloads shaped like Slack's, with our action and view ids, where any field may be odd. */
const interaction = fc
  .record(
    {
      type: mostly(
        fc.constantFrom('block_actions', 'view_submission', 'view_closed', 'shortcut', 'block_suggestion'),
      ),
      team: mostly(fc.constant({ id: TEAM_ID, domain: 'gamemetrics' })),
      api_app_id: mostly(fc.constant(APP_ID)),
      user: mostly(
        fc.record({ id: mostly(fc.constantFrom('U0ALICE', 'U0DAVE')), team_id: fc.constant(TEAM_ID) }),
      ),
      response_url: fc.constant(DEAD_URL),
      trigger_id: mostly(fc.constant('1.2.3')),
      container: mostly(
        fc.record(
          { type: fc.constant('message'), channel_id: weird, message_ts: weird },
          { requiredKeys: [] },
        ),
      ),
      actions: mostly(
        fc.array(
          fc.record(
            {
              action_id: mostly(fc.constantFrom(...Object.values(ACTION_IDS))),
              block_id: weird,
              value: mostly(fc.string({ maxLength: 20 })),
              type: fc.constantFrom('button', 'static_select'),
            },
            { requiredKeys: ['action_id'] },
          ),
          { minLength: 1, maxLength: 2 },
        ),
      ),
      view: mostly(
        fc.record(
          {
            callback_id: mostly(fc.constant(VIEW_IDS.rejectReason)),
            private_metadata: mostly(fc.oneof(metadata, fc.json())),
            state: mostly(
              fc.record({
                values: mostly(
                  fc.record({
                    reason_block: mostly(fc.record({ reason_input: mostly(fc.record({ value: weird })) })),
                  }),
                ),
              }),
            ),
          },
          { requiredKeys: [] },
        ),
      ),
    },
    { requiredKeys: ['type', 'team', 'user', 'api_app_id', 'response_url'] },
  )
  .map((payload) => Buffer.from(new URLSearchParams({ payload: JSON.stringify(payload) }).toString()));

describe('POST /slack/events under fuzzing', () => {
  it(
    'without a valid signature, any body, headers and timestamps: refused (400/401/413), never 2xx or 5xx',
    async () => {
      await fc.assert(
        fc.asyncProperty(awkwardBody, contentType, timestamp, signature, async (raw, type, ts, sig) => {
          const response = await post(asBuffer(raw), {
            'content-type': type,
            'x-slack-request-timestamp': ts,
            'x-slack-signature': sig,
          });
          expect([400, 401, 413]).toContain(response.status);
        }),
        { numRuns: RUNS },
      );
      expect(await fuzz.alive()).toBe(true);
    },
    fuzzTimeout(RUNS, 5),
  );

  it(
    'correctly signed, any body and content type: never a 5xx (batches of concurrent requests)',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(awkwardBody, contentType), { minLength: BATCH, maxLength: BATCH }),
          async (requests) => {
            const responses = await Promise.all(
              requests.map(([raw, type]) => postSigned(asBuffer(raw), type)),
            );
            for (const response of responses) expect([200, 400, 401, 404, 413]).toContain(response.status);
          },
        ),
        // A failing batch is reported as it is: shrinking would resend batches of 3 s requests for minutes.
        { numRuns: BATCHES, endOnFailure: true },
      );
      expect(await fuzz.alive()).toBe(true);
    },
    fuzzTimeout(BATCHES, 4000),
  );

  it(
    'correctly signed interactions of every odd shape, on our buttons and modal: never a 5xx',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(interaction, { minLength: BATCH, maxLength: BATCH }), async (bodies) => {
          const responses = await Promise.all(
            bodies.map((body) => postSigned(body, 'application/x-www-form-urlencoded')),
          );
          for (const response of responses) expect([200, 400, 401, 404]).toContain(response.status);
        }),
        // A failing batch is reported as it is: shrinking would resend batches of 3 s requests for minutes.
        { numRuns: BATCHES, endOnFailure: true },
      );
      expect(await fuzz.alive()).toBe(true);
    },
    fuzzTimeout(BATCHES, 4000),
  );
});
