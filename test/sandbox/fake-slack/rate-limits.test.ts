import { describe, expect, it } from 'vitest';
import { POST_MESSAGE_BURST, TIER_CALLS_PER_MINUTE } from '../../../sandbox/fake-slack/index.js';
import { ALICE, callError, createClient, DEPLOYS, RANDOM, startTestFake } from './helpers.js';

function manualClock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('forced rate limits and failures', () => {
  it('answers 429 with Retry-After, which the WebClient reports as slack_webapi_rate_limited_error', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    const card = await client.chat.postMessage({ channel: DEPLOYS, text: 'card' });
    fake.rateLimit('chat.update', { calls: 2, retryAfterSec: 7 });
    for (let i = 0; i < 2; i++) {
      const error = await callError(
        client.chat.update({ channel: DEPLOYS, ts: card.ts ?? '', text: `v${i}` }),
      );
      expect(error.code).toBe('slack_webapi_rate_limited_error');
      expect((error as unknown as { retryAfter: number }).retryAfter).toBe(7);
    }
    expect((await client.chat.update({ channel: DEPLOYS, ts: card.ts ?? '', text: 'v2' })).ok).toBe(true);
    expect(fake.callsTo('chat.update').map((c) => c.status)).toEqual([429, 429, 200]);
    expect(fake.channelMessages(DEPLOYS)[0]?.text).toBe('v2');
  });

  it('sends the Retry-After header in seconds on the raw HTTP answer', async () => {
    const fake = await startTestFake();
    fake.rateLimit('auth.test', { calls: 1, retryAfterSec: 30 });
    const response = await fetch(`${fake.apiUrl}auth.test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.botToken}` },
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(await response.json()).toEqual({ ok: false, error: 'ratelimited' });
  });

  it('failNext makes the next call to that method fail once with the given error', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    fake.failNext('usergroups.users.list', 'plan_upgrade_required');
    const error = await callError(client.usergroups.users.list({ usergroup: 'S0ONCALL001' }));
    expect(error.data?.error).toBe('plan_upgrade_required');
    expect((await client.usergroups.users.list({ usergroup: 'S0ONCALL001' })).users).toContain(ALICE.id);
  });
});

describe('realistic rate limits', () => {
  it('are off by default so tests and the demo can burst', async () => {
    const fake = await startTestFake();
    const client = createClient(fake);
    for (let i = 0; i < (TIER_CALLS_PER_MINUTE[2] ?? 0) + 5; i++) {
      await client.usergroups.users.list({ usergroup: 'S0ONCALL001' });
    }
    expect(fake.callsTo('usergroups.users.list').every((c) => c.status === 200)).toBe(true);
  });

  it('limit a Tier 2 method to 20 calls a minute, with Retry-After until the window frees', async () => {
    const clock = manualClock();
    const fake = await startTestFake({ realisticRateLimits: true, now: clock.now });
    const client = createClient(fake);
    for (let i = 0; i < 20; i++) {
      await client.usergroups.users.list({ usergroup: 'S0ONCALL001' });
      clock.advance(1000);
    }
    const error = await callError(client.usergroups.users.list({ usergroup: 'S0ONCALL001' }));
    expect(error.code).toBe('slack_webapi_rate_limited_error');
    expect((error as unknown as { retryAfter: number }).retryAfter).toBe(40);
    // Tiers are per method: users.info (Tier 4) is unaffected.
    expect((await client.users.info({ user: ALICE.id })).ok).toBe(true);
    clock.advance(40_000);
    expect((await client.usergroups.users.list({ usergroup: 'S0ONCALL001' })).ok).toBe(true);
  });

  it('limit chat.postMessage to about one per second per channel after a short burst', async () => {
    const clock = manualClock();
    const fake = await startTestFake({ realisticRateLimits: true, now: clock.now });
    const client = createClient(fake);
    for (let i = 0; i < POST_MESSAGE_BURST; i++)
      await client.chat.postMessage({ channel: DEPLOYS, text: `m${i}` });
    const error = await callError(client.chat.postMessage({ channel: DEPLOYS, text: 'too fast' }));
    expect((error as unknown as { retryAfter: number }).retryAfter).toBe(1);
    expect((await client.chat.postMessage({ channel: RANDOM, text: 'other channel' })).ok).toBe(true);
    clock.advance(1000);
    expect((await client.chat.postMessage({ channel: DEPLOYS, text: 'after a second' })).ok).toBe(true);
    expect(fake.channelMessages(DEPLOYS)).toHaveLength(POST_MESSAGE_BURST + 1);
  });
});
