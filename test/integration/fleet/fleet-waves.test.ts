import { describe, expect, it } from 'vitest';
import { eventually, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  appNames,
  appOfPath,
  fleetCardId,
  fleetMessages,
  moveFleet,
  PROD,
  press,
  rowsOf,
  storedFleet,
  syncsOf,
  useFleetWorld,
  waitForFleetCard,
} from './fleet-helpers.js';

describe('fleet card with 3 apps in two waves', () => {
  let env: WorldWithBot;
  const names = appNames(3);
  useFleetWorld(names, 300, (started) => {
    env = started;
  });

  it('posts one card listing every app, then syncs wave by wave, each app once, pinned to the sha', async () => {
    const { world } = env;
    const sha = await moveFleet(world, names, 'Tune the fleet');
    const card = await waitForFleetCard(world, sha, (m) => names.every((n) => rowsOf(m).includes(n)));
    // The group's apps have no card of their own.
    expect(
      world.slack.channelMessages(PROD).filter((m) => names.some((n) => m.text.startsWith(`${n} `))),
    ).toEqual([]);
    expect(rowsOf(card)).toContain('Tune the fleet');
    expect(rowsOf(card)).toContain(`\`default/${names[0]}\` · OutOfSync · Healthy`);
    const cardId = fleetCardId(card);
    world.argocd.clearRequests();

    // When the canary was Synced and Healthy at the sha with its operation ended, as the fake itself tells.
    let canaryHealthyAt = 0;
    const watch = setInterval(() => {
      const app = world.argocd.app(names[0]!);
      const op = app.status?.operationState;
      if (
        !canaryHealthyAt &&
        op?.phase === 'Succeeded' &&
        op.syncResult?.revision === sha &&
        app.status?.health?.status === 'Healthy' &&
        app.status?.sync?.status === 'Synced'
      )
        canaryHealthyAt = Date.now();
    }, 5);
    await press(env, card, 'fleet_approve_sync');
    await eventually(async () => (await storedFleet(env, cardId)).state === 'succeeded', {
      timeoutMs: 20_000,
    });
    clearInterval(watch);

    const syncs = syncsOf(world, names);
    expect(syncs.map((s) => appOfPath(s.path)).sort()).toEqual([...names].sort());
    for (const s of syncs) expect(s.body).toMatchObject({ revision: sha });
    // Wave 1 (the canary) first; wave 2 only after the canary was read Synced and Healthy after its operation.
    expect(appOfPath(syncs[0]!.path)).toBe(names[0]);
    const requests = world.argocd.requests;
    const firstWave2 = requests.indexOf(syncs[1]!);
    expect(canaryHealthyAt).toBeGreaterThan(0);
    expect(Date.parse(requests[firstWave2]!.at)).toBeGreaterThanOrEqual(canaryHealthyAt - 10);
    const readsAfterHealthy = requests
      .slice(0, firstWave2)
      .filter(
        (r) =>
          r.method === 'GET' && appOfPath(r.path) === names[0] && Date.parse(r.at) >= canaryHealthyAt - 10,
      );
    expect(readsAfterHealthy.length).toBeGreaterThan(0);

    const done = await waitForFleetCard(world, sha, (m) => rowsOf(m).includes('Deployed'));
    expect(rowsOf(done)).toContain('3 apps: 3 synced');
    expect(rowsOf(done)).toContain('fleet_rollback');
    expect(fleetMessages(world, sha)).toHaveLength(1);
    // Nothing more after the end: exactly one sync per app.
    await new Promise((r) => setTimeout(r, 800));
    expect(syncsOf(world, names)).toHaveLength(3);
  }, 40_000);

  it('stops later waves when the canary fails, and names the failed app and the apps not started', async () => {
    const { world } = env;
    const sha = await moveFleet(world, names, 'A broken change');
    const card = await waitForFleetCard(world, sha, (m) => names.every((n) => rowsOf(m).includes(n)));
    world.argocd.clearRequests();
    world.argocd.failNextSync(names[0]!);
    await press(env, card, 'fleet_approve_sync');
    const cardId = fleetCardId(card);
    await eventually(async () => (await storedFleet(env, cardId)).state === 'failed', { timeoutMs: 15_000 });
    await new Promise((r) => setTimeout(r, 800));
    expect(syncsOf(world, names).map((s) => appOfPath(s.path))).toEqual([names[0]]);
    const failed = await waitForFleetCard(world, sha, (m) => rowsOf(m).includes('later waves were stopped'));
    expect(rowsOf(failed)).toContain(`\`default/${names[0]}\` failed`);
    expect(rowsOf(failed)).toMatch(
      new RegExp(`Not started: \`default/${names[1]}\`, \`default/${names[2]}\``),
    );

    // Retry is a press: the canary is synced again (once), then the next wave.
    await press(env, failed, 'fleet_retry');
    await eventually(async () => (await storedFleet(env, cardId)).state === 'succeeded', {
      timeoutMs: 20_000,
    });
    const after = syncsOf(world, names).map((s) => appOfPath(s.path));
    expect(after.slice(0, 2)).toEqual([names[0], names[0]]);
    expect(after.slice(2).sort()).toEqual([names[1], names[2]].sort());
  }, 40_000);

  it('Reject asks for a reason in a modal and syncs nothing', async () => {
    const { world } = env;
    const sha = await moveFleet(world, names, 'Not this one');
    const card = await waitForFleetCard(world, sha, (m) => names.every((n) => rowsOf(m).includes(n)));
    const cardId = fleetCardId(card);
    world.argocd.clearRequests();
    const click = await world.slack.clickButton({
      user: 'U0ALICE',
      channel: PROD,
      ts: card.ts,
      actionId: 'fleet_reject',
    });
    expect(click.status).toBe(200);
    const view = await eventually(() =>
      world.slack.views.find(
        (v) => v.open && v.user === 'U0ALICE' && v.view.callback_id === 'fleet_reason_modal',
      ),
    );
    const submitted = await world.slack.submitView({
      user: 'U0ALICE',
      viewId: view.id,
      values: { reason_block: { reason_input: 'Tournament this weekend' } },
    });
    expect(submitted.status).toBe(200);
    await eventually(async () => (await storedFleet(env, cardId)).state === 'rejected');
    const rejected = await waitForFleetCard(world, sha, (m) => rowsOf(m).includes('Rejected by'));
    expect(rowsOf(rejected)).toContain('Tournament this weekend');
    expect(rowsOf(rejected)).not.toContain('fleet_approve_sync');
    expect(syncsOf(world, names)).toEqual([]);
  }, 30_000);

  it("refuses Approve while the revision's GitHub checks are red (prod requires green checks)", async () => {
    const { world } = env;
    const sha = await moveFleet(world, names, 'Red build', { failingChecks: true });
    const card = await waitForFleetCard(world, sha, (m) => names.every((n) => rowsOf(m).includes(n)));
    world.argocd.clearRequests();
    await press(env, card, 'fleet_approve_sync', 'U0ALICE');
    await eventually(() =>
      world.slack.ephemerals({ user: 'U0ALICE' }).some((e) => /GitHub checks failed on/.test(e.text)),
    );
    expect(syncsOf(world, names)).toEqual([]);
    expect((await storedFleet(env, fleetCardId(card))).state).toBe('pending');
  }, 30_000);
});
