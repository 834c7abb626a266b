import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSignedHeaders } from '../../sandbox/fake-slack/index.js';
import { PEOPLE } from '../../sandbox/world/seed.js';
import { WORLD_SECRETS } from '../../sandbox/world/start-world.js';
import { SLACK_TRANSPORTS } from '../helpers/slack-transports.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../helpers/start-world-bot.js';
import { PROD, PROD_APP, waitForCard } from './actions/helpers.js';

describe.each(SLACK_TRANSPORTS)('App Home, Events API and card metadata over %s', (slackTransport) => {
  let env: WorldWithBot;
  let sha: string;
  beforeAll(async () => {
    env = await startWorldWithBot({ slackTransport });
    sha = await env.world.pushCommit({
      author: 'dave',
      message: 'Home <!channel> & <https://evil.example|x>',
    });
    await waitForCard(env.world, PROD, sha);
  });
  afterAll(async () => {
    await env?.stop();
  });

  const publishesFor = (user: string) =>
    env.world.slack.callsTo('views.publish').filter((c) => c.args.user_id === user && c.response.ok === true);
  const homeText = (user: string) => JSON.stringify(env.world.slack.homeView(user)?.blocks ?? []);
  const open = (user: string, extra: { eventId?: string; retryNum?: number } = {}) =>
    env.world.slack.sendEvent({
      event: { type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home' },
      ...extra,
    });

  it('the card carries deploybot_card metadata, kept current on updates', async () => {
    const card = await waitForCard(env.world, PROD, sha);
    expect(card.metadata).toEqual({
      event_type: 'deploybot_card',
      event_payload: {
        instance: 'default',
        app: PROD_APP,
        revision: sha,
        environment: 'prod',
        state: 'pending',
      },
    });
  });

  it("app_home_opened publishes the viewer's pending approvals with a link, escaped", async () => {
    const result = await open(PEOPLE.alice.id);
    expect(result.status).toBe(200);
    await eventually(() => publishesFor(PEOPLE.alice.id).length === 1);
    const text = homeText(PEOPLE.alice.id);
    expect(text).toContain('Waiting for your approval');
    expect(text).toContain(sha.slice(0, 7));
    expect(text).toMatch(
      /<http:\/\/127\.0\.0\.1:\d+\/archives\/C0PRODDEPLOYS\/p\d+\|\*event-ingestion-prod\*>/,
    );
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;https://evil.example|x&gt;');
    expect(text).not.toContain('<!channel>');
    expect(env.world.slack.homeView(PEOPLE.alice.id)?.blocks.length).toBeLessThanOrEqual(100);
  });

  it('the author sees it as a change in flight, not as one to approve; it is refreshed on each open', async () => {
    await open(PEOPLE.dave.id);
    await eventually(() => publishesFor(PEOPLE.dave.id).length === 1);
    const blocks = env.world.slack.homeView(PEOPLE.dave.id)?.blocks ?? [];
    const pendingSection = JSON.stringify(
      blocks.filter((b) => String(b.block_id).startsWith('home_pending')),
    );
    const mineSection = JSON.stringify(blocks.filter((b) => String(b.block_id).startsWith('home_mine')));
    expect(pendingSection).not.toContain(sha.slice(0, 7));
    expect(mineSection).toContain(sha.slice(0, 7));
    await open(PEOPLE.dave.id);
    await eventually(() => publishesFor(PEOPLE.dave.id).length === 2);
  });

  it('a retried event (same event_id) has no second effect', async () => {
    const first = await open(PEOPLE.bob.id);
    await eventually(() => publishesFor(PEOPLE.bob.id).length === 1);
    for (const retryNum of [1, 2]) {
      const retry = await open(PEOPLE.bob.id, { eventId: first.eventId, retryNum });
      expect(retry.status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(publishesFor(PEOPLE.bob.id)).toHaveLength(1);
  });

  it(
    slackTransport === 'http'
      ? 'url_verification is answered with the challenge; an unsigned event is refused'
      : 'over the socket no HTTP route takes Slack requests (url_verification and signatures are HTTP-only)',
    async () => {
      if (slackTransport !== 'http') {
        const answer = await fetch(`${env.world.botUrl}/slack/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token: 'x', challenge: 'c0ffee-challenge', type: 'url_verification' }),
        });
        expect(answer.status).toBe(404);
        return;
      }
      const body = JSON.stringify({ token: 'x', challenge: 'c0ffee-challenge', type: 'url_verification' });
      const verified = await fetch(`${env.world.botUrl}/slack/events`, {
        method: 'POST',
        headers: {
          ...buildSignedHeaders(WORLD_SECRETS.SLACK_SIGNING_SECRET, body),
          'content-type': 'application/json',
        },
        body,
      });
      expect(verified.status).toBe(200);
      expect(await verified.json()).toEqual({ challenge: 'c0ffee-challenge' });
      const unsigned = await fetch(`${env.world.botUrl}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'event_callback',
          event_id: 'Ev0UNSIGNED',
          event: { type: 'app_home_opened', user: PEOPLE.alice.id, tab: 'home' },
        }),
      });
      expect(unsigned.status).toBe(401);
    },
  );
});
