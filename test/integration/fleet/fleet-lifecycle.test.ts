import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startWorld, type World } from '../../../sandbox/world/start-world.js';
import { startTestBot, type TestBot } from '../../helpers/start-test-bot.js';
import { eventually, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { craftClick } from '../actions/helpers.js';
import { type ChildBot, startChildBot, writePolicyFile } from '../reliability/support/child-bot.js';
import { deleteKeys, openRawRedis } from '../reliability/support/redis-keys.js';
import {
  addFleetApps,
  appNames,
  appOfPath,
  FLEET_POLICY,
  fleetCardId,
  moveFleet,
  PROD,
  press,
  rowsOf,
  storedFleet,
  syncsOf,
  useFleetWorld,
  waitForFleetCard,
} from './fleet-helpers.js';

const names = appNames(3);

describe('a newer revision supersedes a fleet card mid-wave', () => {
  let env: WorldWithBot;
  useFleetWorld(names, 200, (started) => {
    env = started;
  });

  it('stops the waves not started; the newer card takes over', async () => {
    const { world } = env;
    const first = await moveFleet(world, names, 'First');
    const card = await waitForFleetCard(world, first, (m) => names.every((n) => rowsOf(m).includes(n)));
    const cardId = fleetCardId(card);
    world.argocd.clearRequests();
    // The canary's sync stays Running: wave 1 does not end before the newer revision arrives.
    world.argocd.hangNextSync(names[0]!);
    await press(env, card, 'fleet_approve_sync');
    await eventually(() => syncsOf(world, [names[0]!]).length === 1);
    const second = await moveFleet(world, names, 'Second');
    const newer = await waitForFleetCard(world, second, (m) => names.every((n) => rowsOf(m).includes(n)));
    await eventually(async () => (await storedFleet(env, cardId)).state === 'superseded');
    await waitForFleetCard(world, first, (m) => rowsOf(m).includes('Superseded by a newer revision'));
    await new Promise((r) => setTimeout(r, 1000));
    // Wave 2 of the superseded card never started.
    expect(syncsOf(world, names).map((s) => appOfPath(s.path))).toEqual([names[0]]);
    expect(rowsOf(newer)).toContain('fleet_approve_sync');
  }, 40_000);
});

describe('an app that reaches the revision after the approval', () => {
  let env: WorldWithBot;
  useFleetWorld(names, 200, (started) => {
    env = started;
  });

  it('joins the card and is synced in its wave, once', async () => {
    const { world } = env;
    // Two of the three apps move first; the third follows once the card is approved.
    const sha = await moveFleet(world, names.slice(0, 2), 'Staggered');
    const card = await waitForFleetCard(world, sha, (m) =>
      names.slice(0, 2).every((n) => rowsOf(m).includes(n)),
    );
    expect(rowsOf(card)).not.toContain(names[2]);
    const cardId = fleetCardId(card);
    world.argocd.clearRequests();
    world.argocd.hangNextSync(names[1]!);
    await press(env, card, 'fleet_approve_sync');
    await eventually(() => syncsOf(world, [names[1]!]).length === 1, { timeoutMs: 10_000 });
    world.argocd.pushRevision(names[2]!, sha);
    await eventually(() => syncsOf(world, [names[2]!]).length === 1, { timeoutMs: 10_000 });
    expect(syncsOf(world, [names[2]!])[0]?.body).toMatchObject({ revision: sha });
    await waitForFleetCard(world, sha, (m) => rowsOf(m).includes(names[2]!));
    await new Promise((r) => setTimeout(r, 800));
    expect(
      syncsOf(world, names)
        .map((s) => appOfPath(s.path))
        .sort(),
    ).toEqual([...names].sort());
    expect((await storedFleet(env, cardId)).state).toBe('syncing');
  }, 40_000);
});

describe('fleet notifications lost', () => {
  let env: WorldWithBot;
  useFleetWorld(
    names,
    200,
    (started) => {
      env = started;
    },
    { reconcileIntervalMs: 1000 },
  );

  it('the reconcile pass posts the fleet card and fills its rows from one list of the apps', async () => {
    const { world } = env;
    world.argocd.pauseNotifications();
    const sha = await moveFleet(world, names, 'Nobody told the bot');
    await waitForFleetCard(world, sha, (m) => names.every((n) => rowsOf(m).includes(n)), 10_000);
    expect(world.argocd.sentNotifications.filter((n) => names.includes(n.app) && n.attempt > 0)).toEqual([]);
  }, 30_000);
});

describe('a sync claimed on the card by a replica that died before taking the store claim', () => {
  let env: WorldWithBot;
  useFleetWorld(names, 200, (started) => {
    env = started;
  });

  it('is sent by the next runner, once, and the waves finish', async () => {
    const { world } = env;
    const sha = await moveFleet(world, names, 'Half claimed');
    const card = await waitForFleetCard(world, sha, (m) => names.every((n) => rowsOf(m).includes(n)));
    const cardId = fleetCardId(card);
    world.argocd.clearRequests();
    const { fleet, runner } = env.bot.bot.features.fleet;
    // What a replica leaves when it dies right after claiming the canary on the card (approved, claimed, not sent).
    await fleet.repo.update(cardId, (c) => ({
      card: {
        ...c,
        state: 'syncing',
        approvals: [{ user: 'U0ALICE', at: Date.now() }],
        members: c.members.map((m) =>
          m.app.name === names[0]
            ? {
                ...m,
                sync: {
                  state: 'claimed',
                  attempt: 1,
                  at: Date.now(),
                  ignoreStartedAt: world.argocd.app(names[0]!).status?.operationState?.startedAt ?? undefined,
                },
              }
            : m,
        ),
      },
      result: undefined,
    }));
    runner.run(cardId);
    await eventually(async () => (await storedFleet(env, cardId)).state === 'succeeded', {
      timeoutMs: 15_000,
    });
    await new Promise((r) => setTimeout(r, 800));
    const synced = syncsOf(world, names).map((s) => appOfPath(s.path));
    expect(synced[0]).toBe(names[0]);
    expect([...synced].sort()).toEqual([...names].sort());
  }, 40_000);
});

describe('Abort on a fleet card', () => {
  let env: WorldWithBot;
  useFleetWorld(names, 200, (started) => {
    env = started;
  });

  it('terminates the running operation and starts no later wave', async () => {
    const { world } = env;
    const sha = await moveFleet(world, names, 'To abort');
    const card = await waitForFleetCard(world, sha, (m) => names.every((n) => rowsOf(m).includes(n)));
    const cardId = fleetCardId(card);
    world.argocd.clearRequests();
    world.argocd.hangNextSync(names[0]!);
    await press(env, card, 'fleet_approve_sync');
    await eventually(
      async () =>
        (await storedFleet(env, cardId)).members.find((m) => m.app.name === names[0])?.sync?.state ===
        'requested',
    );
    const syncing = await waitForFleetCard(world, sha, (m) => rowsOf(m).includes('fleet_abort'));
    await press(env, syncing, 'fleet_abort');
    await eventually(async () => (await storedFleet(env, cardId)).state === 'aborted');
    await eventually(() =>
      world.argocd.requests.some(
        (r) => r.method === 'DELETE' && r.path === `/api/v1/applications/${names[0]}/operation`,
      ),
    );
    await eventually(() => world.argocd.app(names[0]!).status?.operationState?.phase === 'Failed');
    await new Promise((r) => setTimeout(r, 800));
    expect(syncsOf(world, names).map((s) => appOfPath(s.path))).toEqual([names[0]]);
    const aborted = await waitForFleetCard(world, sha, (m) => rowsOf(m).includes('Aborted by'));
    expect(rowsOf(aborted)).toMatch(/Not started: `default\/fleet-svc-r001-prod`/);
  }, 40_000);
});

describe('a bot killed (SIGKILL) mid-wave', () => {
  let world: World;
  let redis: Redis;
  let child: ChildBot | undefined;
  let successor: TestBot | undefined;
  const prefix = `fleet-restart:${randomUUID()}:`;
  beforeAll(async () => {
    // Slow syncs: the bot is still in wave 1 when it is killed.
    world = await startWorld({ timing: { syncMs: 2000, healthMs: 300 } });
    addFleetApps(world, names);
    redis = openRawRedis(inject('redisUrl'));
  }, 60_000);
  afterEach(async () => {
    await child?.kill('SIGKILL');
    await successor?.stop();
  });
  afterAll(async () => {
    await world?.close();
    await deleteKeys(redis, prefix);
    redis?.disconnect();
  });

  it('resumes after a restart and finishes the waves, each app synced exactly once', async () => {
    child = await startChildBot({
      env: { ...world.env, REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: prefix },
      policyPath: writePolicyFile(FLEET_POLICY),
      port: world.botPort,
    });
    const sha = await moveFleet(world, names, 'Survive a crash');
    const card = await waitForFleetCard(world, sha, (m) => names.every((n) => rowsOf(m).includes(n)));
    world.argocd.clearRequests();
    const click = await craftClick(world, {
      botUrl: child.url,
      user: 'U0ALICE',
      channel: PROD,
      ts: card.ts,
      actionId: 'fleet_approve_sync',
    });
    expect(click.status).toBe(200);
    await eventually(() => syncsOf(world, [names[0]!]).length === 1);
    expect(await child.kill('SIGKILL')).toBeNull();
    child = undefined;
    // The canary's operation is still running: nobody has judged wave 1 yet.
    expect(world.argocd.app(names[0]!).status?.operationState?.phase).toBe('Running');

    successor = await startTestBot({ env: world.env, policy: FLEET_POLICY, port: world.botPort, prefix });
    const cardId = fleetCardId(card);
    await eventually(
      async () => (await successor!.bot.features.fleet.fleet.repo.get(cardId))?.state === 'succeeded',
      { timeoutMs: 30_000 },
    );
    await new Promise((r) => setTimeout(r, 1000));
    const synced = syncsOf(world, names).map((s) => appOfPath(s.path));
    expect(synced[0]).toBe(names[0]);
    expect([...synced].sort()).toEqual([...names].sort());
    await waitForFleetCard(world, sha, (m) => rowsOf(m).includes('Deployed'), 10_000);
  }, 90_000);
});
