import { describe, expect, it } from 'vitest';
import type { TestBot } from '../../helpers/start-test-bot.js';
import { eventually, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { craftClick } from '../actions/helpers.js';
import {
  appOfPath,
  fleetCardId,
  fleetMessages,
  moveFleet,
  PROD,
  press,
  rowsOf,
  storedFleet,
  syncsOf,
  useFleetReplicas,
  waitForFleetCard,
} from './fleet-helpers.js';

const names40 = [
  'fleet-svc-canary-prod',
  ...Array.from({ length: 39 }, (_, i) => `fleet-svc-x${String(i + 1).padStart(2, '0')}-prod`),
];

describe('fleet card: 40 apps, racing presses over two replicas, rollback', () => {
  let env: WorldWithBot;
  let second: TestBot;
  useFleetReplicas(names40, 200, (started, replica) => {
    env = started;
    second = replica;
  });

  it('posts one card for 40 apps whose rows fill in place, updated at most once a second', async () => {
    const { world } = env;
    const sha = await moveFleet(world, names40, 'Forty at once');
    const card = await waitForFleetCard(world, sha, (m) => rowsOf(m).includes('40 apps'));
    for (const name of names40) expect(rowsOf(card)).toContain(`default/${name}`);
    expect(fleetMessages(world, sha)).toHaveLength(1);
    expect(
      world.slack.callsTo('chat.postMessage').filter((c) => String(c.args.text).startsWith('fleet ')),
    ).toHaveLength(1);
    const updates = world.slack
      .callsTo('chat.update')
      .filter((c) => c.args.ts === card.ts)
      .map((c) => c.at);
    for (let i = 1; i < updates.length; i++)
      expect(updates[i]! - updates[i - 1]!).toBeGreaterThanOrEqual(900);
  }, 30_000);

  it('5 racing presses over two replicas approve once and sync each of 40 apps exactly once', async () => {
    const { world } = env;
    const sha = world.argocd.app(names40[1]!).status?.sync?.revision ?? '';
    const card = fleetMessages(world, sha)[0]!;
    const cardId = fleetCardId(card);
    world.argocd.clearRequests();
    const users = ['U0ALICE', 'U0ALICE', 'U0BOB', 'U0ALICE', 'U0BOB'];
    // Bob is on call (S0ONCALL), so an approver too; the two replicas get the presses alternately.
    await Promise.all(
      users.map((user, i) =>
        craftClick(world, {
          botUrl: i % 2 === 0 ? env.bot.url : second.url,
          user,
          channel: PROD,
          ts: card.ts,
          actionId: 'fleet_approve_sync',
        }),
      ),
    );
    await eventually(async () => (await storedFleet(env, cardId)).state === 'succeeded', {
      timeoutMs: 30_000,
    });
    await new Promise((r) => setTimeout(r, 1000));
    const synced = syncsOf(world, names40).map((s) => appOfPath(s.path));
    expect(synced.sort()).toEqual([...names40].sort());
    const stored = await storedFleet(env, cardId);
    expect(stored.approvals).toHaveLength(1);
    expect(stored.members.every((m) => m.sync?.state === 'succeeded' && m.sync.attempt === 1)).toBe(true);
  }, 60_000);

  it('Rollback rolls each app the card synced back to the history entry before the sync', async () => {
    const { world } = env;
    const sha = world.argocd.app(names40[1]!).status?.sync?.revision ?? '';
    const card = await waitForFleetCard(world, sha, (m) => rowsOf(m).includes('fleet_rollback'));
    const cardId = fleetCardId(card);
    const before = await storedFleet(env, cardId);
    world.argocd.clearRequests();
    await press(env, card, 'fleet_rollback', 'U0BOB', second.url);
    await eventually(async () => (await storedFleet(env, cardId)).state === 'rolled-back', {
      timeoutMs: 30_000,
    });
    const rollbacks = world.argocd.requests.filter(
      (r) => r.method === 'POST' && r.path.endsWith('/rollback'),
    );
    expect(rollbacks).toHaveLength(40);
    for (const r of rollbacks) {
      const member = before.members.find((m) => m.app.name === appOfPath(r.path));
      expect(r.body).toMatchObject({ id: member?.sync?.previousHistoryId });
    }
    await waitForFleetCard(world, sha, (m) => rowsOf(m).includes('Rolled back'));
  }, 60_000);

  it('refuses a press from someone who is not an approver, and does nothing', async () => {
    const { world } = env;
    const sha = await moveFleet(world, names40, 'Another change');
    const card = await waitForFleetCard(world, sha, (m) => rowsOf(m).includes('40 apps'));
    world.argocd.clearRequests();
    await press(env, card, 'fleet_approve_sync', 'U0DAVE');
    await eventually(() =>
      world.slack.ephemerals({ user: 'U0DAVE' }).some((e) => /Only the prod approvers/.test(e.text)),
    );
    expect(syncsOf(world, names40)).toEqual([]);
    expect((await storedFleet(env, fleetCardId(card))).state).toBe('pending');
  }, 30_000);
});
