import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelMessage } from '../../../sandbox/fake-slack/types.js';
import { CHANNELS, PEOPLE, REPO } from '../../../sandbox/world/seed.js';
import { WORLD_SECRETS } from '../../../sandbox/world/start-world.js';
import { eventually } from '../../helpers/start-world-bot.js';
import { loadExample, messageText, postNotification } from '../cards/card-helpers.js';
import { appsShown, askStatus, readAnswer } from '../status/ask-status.js';
import { APP, appRequests, INSTANCE_SECRETS, startTwoInstances, type TwoInstances } from './two-instances.js';

describe('two Argo CD instances (eu, us) with the same app', () => {
  let env: TwoInstances;
  let sha: string;
  const cards: Partial<Record<'eu' | 'us', ChannelMessage>> = {};

  const prodMessages = () => env.world.slack.channelMessages(CHANNELS.prodDeploys.id);
  const bearer = (instance: 'eu' | 'us') => `Bearer ${INSTANCE_SECRETS[instance].token}`;

  /** The instance's pending card for `revision`, once its changelog has loaded (approval needs it). */
  async function readyCard(instance: 'eu' | 'us', revision: string): Promise<ChannelMessage> {
    const message = await eventually(
      () =>
        prodMessages().find((m) => {
          const text = messageText(m);
          return (
            text.includes(`${instance}/${APP}`) &&
            text.includes(revision.slice(0, 7)) &&
            text.includes('deploy_approve_sync')
          );
        }),
      { timeoutMs: 15_000 },
    );
    await eventually(
      async () =>
        (
          await env.bot.bot.features.cards.repo.findByRevision(
            { instance, namespace: 'argocd', name: APP },
            revision,
          )
        )?.changelog.available,
      { timeoutMs: 15_000 },
    );
    return message;
  }

  async function approve(card: ChannelMessage): Promise<void> {
    const click = await env.world.slack.clickButton({
      user: PEOPLE.alice.id,
      channel: CHANNELS.prodDeploys.id,
      ts: card.ts,
      actionId: 'deploy_approve_sync',
    });
    expect(click.status).toBe(200);
  }

  beforeAll(async () => {
    // The policy's 60 s interval: after the start-up pass, only notifications make cards here.
    env = await startTwoInstances();
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("a notification signed with eu's secret reads eu only, and its card names the instance", async () => {
    sha = await env.world.pushCommit({ author: 'dave', message: 'Batch inserts into ClickHouse' });
    env.eu.pushRevision(APP, sha);
    cards.eu = await readyCard('eu', sha);
    expect(cards.eu.text).toContain(`eu/${APP}`);
    expect(appRequests(env.eu).length).toBeGreaterThan(0);
    expect(appRequests(env.eu).every((r) => r.headers.authorization === bearer('eu'))).toBe(true);
    // us holds an app of that name too, but nothing asked us about it: only its instance-wide list.
    expect(appRequests(env.us)).toEqual([]);
    expect(env.us.requests.every((r) => r.headers.authorization === bearer('us'))).toBe(true);
  });

  it('the same app name on us is a second card of its own', async () => {
    env.us.pushRevision(APP, sha);
    cards.us = await readyCard('us', sha);
    // us's notification made us read on us, with us's token.
    expect(appRequests(env.us).length).toBeGreaterThan(0);
    expect(appRequests(env.us).every((r) => r.headers.authorization === bearer('us'))).toBe(true);
    expect(cards.us.ts).not.toBe(cards.eu!.ts);
    const [euCard, usCard] = await Promise.all(
      (['eu', 'us'] as const).map((instance) =>
        env.bot.bot.features.cards.repo.findByRevision({ instance, namespace: 'argocd', name: APP }, sha),
      ),
    );
    expect(euCard!.id).not.toBe(usCard!.id);
    expect(usCard!.app.instance).toBe('us');
    // Each card links its own instance's UI (us has ARGOCD_US_UI_URL, eu its API URL).
    expect(messageText(cards.us)).toContain(`https://argocd-us.example.com/applications/argocd/${APP}`);
    expect(messageText(cards.eu!)).toContain(`${env.eu.url}/applications/argocd/${APP}`);
  });

  it("approving eu's card syncs on eu with eu's token, never on us; GitHub gets prod/eu/<app>", async () => {
    await approve(cards.eu!);
    const sync = await eventually(() => env.eu.syncRequests()[0], { timeoutMs: 10_000 });
    expect(sync.headers.authorization).toBe(bearer('eu'));
    expect(sync.body).toMatchObject({ name: APP, revision: sha });
    const deployment = await eventually(
      () =>
        env.world.github
          .deployments(REPO)
          .find((d) => d.environment === `prod/eu/${APP}` && d.statuses.some((s) => s.state === 'success')),
      { timeoutMs: 15_000 },
    );
    expect(deployment).toMatchObject({ sha, payload: { app: APP, instance: 'eu', environment: 'prod' } });
    expect(env.us.syncRequests()).toEqual([]);
    const environments = env.world.github.deployments(REPO).map((d) => d.environment);
    expect(environments).not.toContain(`prod/us/${APP}`);
    expect(environments).not.toContain(`prod/${APP}`);
  });

  it("a secret of no instance is 401; eu's secret for an app eu lacks is 202 and asks eu only", async () => {
    const body = { ...loadExample('on-out-of-sync'), app: 'ghost-prod', revision: sha };
    const refused = await postNotification(env.bot.url, WORLD_SECRETS.ARGOCD_WEBHOOK_SECRET, body);
    expect(refused.status).toBe(401);
    const accepted = await postNotification(env.bot.url, INSTANCE_SECRETS.eu.webhook, body);
    expect(accepted).toMatchObject({ status: 202, body: { status: 'accepted' } });
    await eventually(() => env.eu.requests.find((r) => r.path === '/api/v1/applications/ghost-prod'));
    expect(env.us.requests.filter((r) => r.path.includes('ghost-prod'))).toEqual([]);
    expect(prodMessages().filter((m) => messageText(m).includes('ghost-prod'))).toEqual([]);
  });

  it('/deploy-status eu/<glob> lists eu only; audit us/<app> reads us; audit <app> names both when ambiguous', async () => {
    const euOnly = await askStatus(env.world, PEOPLE.alice.id, 'eu/event-*');
    expect(appsShown(euOnly)).toEqual([`eu/${APP}`]);
    const both = await askStatus(env.world, PEOPLE.alice.id, 'event-ingestion-*');
    expect(appsShown(both).sort()).toEqual([`eu/${APP}`, `us/${APP}`]);
    const unknown = readAnswer(await askStatus(env.world, PEOPLE.alice.id, 'ap/event-*'));
    expect(unknown).toContain('There is no Argo CD instance `ap`; the instances are `eu`, `us`.');

    await approve(cards.us!);
    await eventually(() => env.us.syncRequests()[0], { timeoutMs: 10_000 });
    expect(env.us.syncRequests()[0]!.headers.authorization).toBe(bearer('us'));
    expect(env.eu.syncRequests()).toHaveLength(1);

    const usAudit = readAnswer(await askStatus(env.world, PEOPLE.alice.id, `audit us/${APP}`));
    expect(usAudit).toContain(`us/${APP}`);
    expect(usAudit).toContain(PEOPLE.alice.id);
    const ambiguous = readAnswer(await askStatus(env.world, PEOPLE.alice.id, `audit ${APP}`));
    expect(ambiguous).toContain(`audit eu/${APP}`);
    expect(ambiguous).toContain(`audit us/${APP}`);
  });

  it("no instance's token or notifications secret is ever logged or shown in Slack", () => {
    const seen = `${env.bot.logs.join('\n')}\n${JSON.stringify(env.world.slack.calls)}`;
    for (const { token, webhook } of Object.values(INSTANCE_SECRETS)) {
      expect(seen).not.toContain(token);
      expect(seen).not.toContain(webhook);
    }
  });
});
