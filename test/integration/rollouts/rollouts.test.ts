import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelMessage } from '../../../sandbox/fake-slack/index.js';
import { PEOPLE } from '../../../sandbox/world/seed.js';
import { startTestBot, type TestBot } from '../../helpers/start-test-bot.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  actionIds,
  auditOf,
  cardIdOf,
  craftClick,
  ephemeralTexts,
  latest,
  PROD,
  PROD_APP,
  storedCard,
  textOf,
  threadText,
  waitForCard,
} from '../actions/helpers.js';

// The prod app deploys through two Argo Rollouts: a canary (20% → pause → 50% → pause → 100%) and a
// blue-green that waits on its preview. Rows are sorted by name: event-consumer is row 0, event-producer row 1.
const CANARY = 'event-consumer';
const BLUE_GREEN = 'event-producer';
const PROMOTE = 'rollout_promote_0';

let env: WorldWithBot;
let second: TestBot;

beforeAll(async () => {
  const prefix = `test:${randomUUID()}:`;
  env = await startWorldWithBot({}, { prefix });
  second = await startTestBot({ env: env.world.env, policy: env.world.policyYaml, prefix });
  env.world.argocd.addRollouts(PROD_APP, [
    { name: CANARY, stepMs: 100 },
    { name: BLUE_GREEN, strategy: 'blueGreen', stepMs: 100 },
  ]);
});
afterAll(async () => {
  await second?.stop();
  await env?.stop();
});

type Live = { status: { currentStepIndex?: number; phase?: string; abort?: boolean } };
const live = (name = CANARY) => env.world.argocd.rollout(PROD_APP, name) as Live;
const actionBodies = () =>
  env.world.argocd.actionRequests().map((r) => {
    const body = r.body as { action: string; resourceName: string };
    return `${body.resourceName}:${body.action}:${r.status}`;
  });

/** A new commit, approved by Alice and synced: returns the card once both Rollouts wait on a person. */
async function deployed(): Promise<{ card: ChannelMessage; cardId: string }> {
  const { world } = env;
  const sha = await world.pushCommit({ author: 'dave' });
  const card = await waitForCard(world, PROD, sha);
  const cardId = cardIdOf(card);
  await craftClick(world, {
    botUrl: env.bot.url,
    user: PEOPLE.alice.id,
    channel: PROD,
    ts: card.ts,
    actionId: 'deploy_approve_sync',
  });
  await shows(card.ts, (text, ids) => ids.includes(PROMOTE) && text.includes('step 1 of 5, weight 20%'));
  await shows(card.ts, (_text, ids) => ids.includes('rollout_promote_1'));
  return { card, cardId };
}

function shows(ts: string, test: (text: string, ids: string[]) => boolean): Promise<ChannelMessage> {
  return eventually(
    () => {
      const message = latest(env.world, PROD, ts);
      return test(textOf(message), actionIds(message)) ? message : undefined;
    },
    { timeoutMs: 30_000 },
  );
}

function press(
  ts: string,
  actionId: string,
  user: string = PEOPLE.alice.id,
  options: { message?: ChannelMessage; botUrl?: string } = {},
) {
  return craftClick(env.world, {
    botUrl: options.botUrl ?? env.bot.url,
    user,
    channel: PROD,
    ts,
    actionId,
    message: options.message,
  });
}

describe('Argo Rollouts on the deploy card', { timeout: 90_000 }, () => {
  it('walks a canary through all its steps by presses, one resume per step, and tells each step in the thread', async () => {
    const { card, cardId } = await deployed();
    // Paused at a pause step the app is Suspended: the card counts that as deployed, not failed.
    expect((await storedCard(env, cardId)).state).toBe('succeeded');
    env.world.argocd.clearRequests();

    await press(card.ts, PROMOTE);
    await shows(card.ts, (text, ids) => text.includes('step 3 of 5, weight 50%') && ids.includes(PROMOTE));
    await press(card.ts, PROMOTE);
    await shows(card.ts, (text) => text.includes('step 5 of 5, weight 100%') && text.includes('healthy'));
    expect(live().status.phase).toBe('Healthy');
    expect(actionBodies()).toEqual([`${CANARY}:resume:200`, `${CANARY}:resume:200`]);
    const sent = env.world.argocd.actionRequests()[0]?.body;
    expect(sent).toEqual({
      name: PROD_APP,
      namespace: 'gamemetrics',
      resourceName: CANARY,
      group: 'argoproj.io',
      kind: 'Rollout',
      version: 'v1alpha1',
      appNamespace: 'argocd',
      project: expect.any(String),
      action: 'resume',
    });
    expect(env.world.argocd.requests.filter((r) => r.contractViolation || r.unknownRoute)).toEqual([]);

    await eventually(
      () => threadText(env.world, PROD, card.ts).includes('promoted `event-consumer`: at canary step 3 of 5'),
      { timeoutMs: 30_000 },
    );
    const audit = await auditOf(env, cardId);
    expect(audit.filter((e) => e.action === 'rollout-resume' && e.outcome === 'started')).toHaveLength(2);
  });

  it('runs one resume for 5 racing Promote presses over two replicas; the others are told the step moved', async () => {
    const { card } = await deployed();
    env.world.argocd.clearRequests();
    const users = [PEOPLE.alice.id, PEOPLE.bob.id, PEOPLE.alice.id, PEOPLE.bob.id, PEOPLE.alice.id];
    const message = latest(env.world, PROD, card.ts);
    const stale = () =>
      [PEOPLE.alice.id, PEOPLE.bob.id]
        .flatMap((u) => ephemeralTexts(env.world, u))
        .filter((t) => t.includes('earlier state of event-consumer')).length;
    const staleBefore = stale();
    const responses = await Promise.all(
      users.map((user, i) =>
        press(card.ts, PROMOTE, user, { message, botUrl: i % 2 === 0 ? env.bot.url : second.url }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await shows(card.ts, (text) => text.includes('step 3 of 5'));
    await new Promise((r) => setTimeout(r, 1500));
    expect(actionBodies()).toEqual([`${CANARY}:resume:200`]);
    expect(live().status.currentStepIndex).toBe(3);
    await eventually(() => stale() - staleBefore === 4, { timeoutMs: 30_000 });
  });

  it('refuses a stale press (the step already moved), naming the current step, and runs nothing', async () => {
    const { card } = await deployed();
    const atStep1 = latest(env.world, PROD, card.ts);
    await press(card.ts, PROMOTE);
    await shows(card.ts, (text, ids) => text.includes('step 3 of 5') && ids.includes(PROMOTE));
    env.world.argocd.clearRequests();
    // Carol is not a promoter; Bob is (on-call group): his press of the old message is only stale.
    await press(card.ts, PROMOTE, PEOPLE.bob.id, { message: atStep1 });
    const answer = await eventually(
      () =>
        ephemeralTexts(env.world, PEOPLE.bob.id).find((t) => t.includes('earlier state of event-consumer')),
      { timeoutMs: 30_000 },
    );
    // The canary moves on by itself between pauses, so the step named is the live one at the refusal
    // (2 or 3 here), never the step 1 the old message was pressed for.
    expect(answer).toMatch(/it is now at canary step [23] of 5, weight \d+%/);
    expect(actionBodies()).toEqual([]);
  });

  it('refuses a user who may not promote, and sends nothing to Argo CD', async () => {
    const { card } = await deployed();
    env.world.argocd.clearRequests();
    await press(card.ts, PROMOTE, PEOPLE.carol.id);
    const answer = await eventually(
      () => ephemeralTexts(env.world, PEOPLE.carol.id).find((t) => t.includes('promote')),
      { timeoutMs: 30_000 },
    );
    expect(answer).toContain('Only the prod promote principals');
    expect(actionBodies()).toEqual([]);
  });

  it('Abort then Retry: the card offers Retry once aborted, and the canary starts over and can be promoted again', async () => {
    const { card } = await deployed();
    env.world.argocd.clearRequests();
    await press(card.ts, 'rollout_abort_0');
    await shows(card.ts, (text, ids) => text.includes('aborted') && ids.includes('rollout_retry_0'));
    expect(live().status.abort).toBe(true);
    await press(card.ts, 'rollout_retry_0');
    await shows(card.ts, (text, ids) => text.includes('step 1 of 5') && ids.includes(PROMOTE));
    // Back at the step it was aborted at, the retried canary can be promoted from there again.
    await press(card.ts, PROMOTE);
    await shows(card.ts, (text) => text.includes('step 3 of 5'));
    expect(actionBodies()).toEqual([`${CANARY}:abort:200`, `${CANARY}:retry:200`, `${CANARY}:resume:200`]);
  });

  it('Promote fully skips the remaining steps', async () => {
    const { card } = await deployed();
    env.world.argocd.clearRequests();
    await press(card.ts, 'rollout_promote_full_0');
    await shows(card.ts, (text) =>
      text.includes('event-consumer` canary step 5 of 5, weight 100% · healthy'),
    );
    expect(actionBodies()).toEqual([`${CANARY}:promote-full:200`]);
  });

  it('shows a failed analysis: aborted after a failed analysis, with the controller message and Retry', async () => {
    const { card, cardId } = await deployed();
    env.world.argocd.failAnalysis(PROD_APP, CANARY);
    const shown = await shows(
      card.ts,
      (text, ids) => text.includes('aborted after a failed analysis') && ids.includes('rollout_retry_0'),
    );
    expect(textOf(shown)).toContain('assessed Failed');
    await eventually(async () => (await storedCard(env, cardId)).state === 'degraded', { timeoutMs: 30_000 });
  });

  it('promotes a blue-green Rollout: the preview becomes active', async () => {
    const { card } = await deployed();
    env.world.argocd.clearRequests();
    await press(card.ts, 'rollout_promote_1');
    await eventually(() => live(BLUE_GREEN).status.phase === 'Healthy', { timeoutMs: 30_000 });
    await shows(card.ts, (text) => /event-producer` blue-green, active \w+ · healthy/.test(text));
    expect(actionBodies()).toEqual([`${BLUE_GREEN}:resume:200`]);
  });
});
