import { describe, expect, it } from 'vitest';
import { validateMessageBlocks } from '../../../sandbox/fake-slack/index.js';
import { eventually, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  appNames,
  fleetCardId,
  fleetMessages,
  moveFleet,
  press,
  rowsOf,
  storedFleet,
  syncsOf,
  useFleetWorld,
  waitForFleetCard,
} from './fleet-helpers.js';

describe('a fleet of 200 apps', () => {
  let env: WorldWithBot;
  const names = appNames(200);
  useFleetWorld(names, 100, (started) => {
    env = started;
  });

  it('is one message within Block Kit limits (the fake Slack validates each post and update), synced in waves', async () => {
    const { world } = env;
    const sha = await moveFleet(world, names, 'Two hundred at once');
    const card = await waitForFleetCard(world, sha, (m) => rowsOf(m).includes('200 apps'), 30_000);
    expect(fleetMessages(world, sha)).toHaveLength(1);
    expect(validateMessageBlocks(card.blocks)).toEqual([]);
    expect(card.blocks?.length ?? 0).toBeLessThanOrEqual(50);
    expect(rowsOf(card)).toMatch(/…and \d+ more apps \(\d+ waiting\)/);
    const cardCalls = () =>
      world.slack.calls.filter(
        (c) =>
          (c.method === 'chat.update' && c.args.ts === card.ts) ||
          (c.method === 'chat.postMessage' && String(c.args.text).startsWith('fleet ')),
      );
    expect(cardCalls().every((c) => c.status === 200 && c.response.ok === true)).toBe(true);

    const cardId = fleetCardId(card);
    world.argocd.clearRequests();
    await press(env, card, 'fleet_approve_sync');
    await eventually(async () => (await storedFleet(env, cardId)).state === 'succeeded', {
      timeoutMs: 90_000,
      intervalMs: 250,
    });
    expect(syncsOf(world, names)).toHaveLength(200);
    expect(new Set(syncsOf(world, names).map((s) => s.path)).size).toBe(200);
    const done = await waitForFleetCard(world, sha, (m) => rowsOf(m).includes('200 synced'), 10_000);
    expect(validateMessageBlocks(done.blocks)).toEqual([]);
    expect(cardCalls().every((c) => c.status === 200 && c.response.ok === true)).toBe(true);
    // Coalesced: at most one chat.update per second for the card.
    const updates = cardCalls()
      .filter((c) => c.method === 'chat.update')
      .map((c) => c.at);
    for (let i = 1; i < updates.length; i++)
      expect(updates[i]! - updates[i - 1]!).toBeGreaterThanOrEqual(900);
  }, 150_000);
});
