import { describe, expect, it } from 'vitest';
import { RESPONSE_URL_MAX_USES, RESPONSE_URL_TTL_MS } from '../../../sandbox/fake-slack/index.js';
import { ALICE, createClient, DEPLOYS, deployCardBlocks, SECTION, startTestFake } from './helpers.js';

/** POSTs like Bolt's respond(): JSON, application/json. */
async function respond(
  url: string,
  body: Record<string, unknown>,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function startWithCard(options: Parameters<typeof startTestFake>[0] = {}) {
  const fake = await startTestFake(options);
  const card = await createClient(fake).chat.postMessage({
    channel: DEPLOYS,
    text: 'Deploy',
    blocks: deployCardBlocks(),
  });
  const url = fake.createResponseUrl({ channel: DEPLOYS, user: ALICE.id, messageTs: card.ts ?? '' });
  return { fake, ts: card.ts ?? '', url };
}

describe('response_url', () => {
  it('has the fake as origin', async () => {
    const { fake, url } = await startWithCard();
    expect(url).toMatch(new RegExp(`^${fake.url}/response/[A-Za-z0-9]{24}$`));
  });

  it('replace_original rewrites the card; text alone removes its blocks like chat.update', async () => {
    const { fake, url, ts } = await startWithCard();
    expect(
      await respond(url, { replace_original: true, text: 'Approved', blocks: [SECTION('Approved')] }),
    ).toEqual({
      status: 200,
      body: { ok: true },
    });
    expect(fake.channelMessages(DEPLOYS)[0]).toMatchObject({
      ts,
      text: 'Approved',
      blocks: [expect.anything()],
    });
    await respond(url, { replace_original: true, text: 'Synced' });
    expect(fake.channelMessages(DEPLOYS)[0]?.blocks).toBeUndefined();
  });

  it('without replace_original it answers the clicking user with an ephemeral and leaves the card alone', async () => {
    const { fake, url } = await startWithCard();
    await respond(url, {
      replace_original: false,
      response_type: 'ephemeral',
      text: 'You may not approve prod',
    });
    expect(fake.ephemerals({ channel: DEPLOYS, user: ALICE.id })).toEqual([
      expect.objectContaining({ text: 'You may not approve prod', source: 'response_url' }),
    ]);
    expect(fake.channelMessages(DEPLOYS)[0]?.blocks).toHaveLength(3);
  });

  it('response_type in_channel posts a visible message, in the thread when thread_ts is given', async () => {
    const { fake, url, ts } = await startWithCard();
    await respond(url, { response_type: 'in_channel', text: 'Sync started', thread_ts: ts });
    expect(fake.thread(DEPLOYS, ts).map((m) => m.text)).toEqual(['Deploy', 'Sync started']);
  });

  it('delete_original deletes the card', async () => {
    const { fake, url } = await startWithCard();
    await respond(url, { delete_original: true });
    expect(fake.channelMessages(DEPLOYS)).toEqual([]);
  });

  it('refuses a body without text or blocks, and invalid blocks', async () => {
    const { url } = await startWithCard();
    expect(await respond(url, { replace_original: true })).toEqual({
      status: 400,
      body: { ok: false, error: 'no_text' },
    });
    const invalid = await respond(url, { replace_original: true, text: 'x', blocks: [SECTION('')] });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ ok: false, error: 'invalid_blocks' });
  });

  it(`works ${RESPONSE_URL_MAX_USES} times, then answers 404 used_url`, async () => {
    const { url } = await startWithCard();
    for (let i = 0; i < RESPONSE_URL_MAX_USES; i++) {
      expect((await respond(url, { replace_original: true, text: `update ${i}` })).status).toBe(200);
    }
    expect(await respond(url, { replace_original: true, text: 'one too many' })).toEqual({
      status: 404,
      body: { ok: false, error: 'used_url' },
    });
  });

  it('expires after 30 minutes with 404 expired_url', async () => {
    let now = Date.UTC(2026, 0, 1);
    const { url } = await startWithCard({ now: () => now });
    now += RESPONSE_URL_TTL_MS + 1;
    expect(await respond(url, { text: 'late' })).toEqual({
      status: 404,
      body: { ok: false, error: 'expired_url' },
    });
  });

  it('answers 404 for a URL the fake never issued', async () => {
    const { fake } = await startWithCard();
    expect((await respond(`${fake.url}/response/nope`, { text: 'x' })).status).toBe(404);
  });
});
