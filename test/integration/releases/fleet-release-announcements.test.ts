import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../sandbox/world/seed.js';
import { storeKeys } from '../../../src/store/keys.js';
import type { TestBot } from '../../helpers/start-test-bot.js';
import { eventually, type WorldWithBot } from '../../helpers/start-world-bot.js';
import {
  appNames,
  fleetCardId,
  moveFleet,
  press,
  rowsOf,
  storedFleet,
  syncsOf,
  useFleetReplicas,
  useFleetWorld,
  waitForFleetCard,
} from '../fleet/fleet-helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fleetReleasesOf = (env: WorldWithBot, sha: string) =>
  env.world.slack
    .channelMessages(CHANNELS.releases.id)
    .filter((m) => m.text.startsWith(`🚀 fleet svc-fleet ${sha.slice(0, 7)} `));
/** App announcements of the group's apps: a fleet release is one post for the group, never one per app. */
const appReleasesOf = (env: WorldWithBot, names: readonly string[]) =>
  env.world.slack
    .channelMessages(CHANNELS.releases.id)
    .filter((m) => names.some((n) => m.text.startsWith(`🚀 ${n} `)));

describe('fleet release announcements, one bot', () => {
  let env: WorldWithBot;
  const names = appNames(3);
  useFleetWorld(names, 300, (started) => {
    env = started;
  });

  it('announces the group once, after its last wave, with the revision, the apps, the approver and the card', async () => {
    const { world } = env;
    const sha = await moveFleet(world, names, 'Raise <!channel> the consumer batch size');
    const card = await waitForFleetCard(world, sha, (m) => names.every((n) => rowsOf(m).includes(n)));
    const cardId = fleetCardId(card);
    // Whenever the announcement is seen, the card has already succeeded: nothing is announced mid-waves.
    let early = false;
    const watch = setInterval(() => {
      if (fleetReleasesOf(env, sha).length === 0) return;
      void storedFleet(env, cardId).then((c) => {
        if (c.state !== 'succeeded') early = true;
      });
    }, 5);
    await press(env, card, 'fleet_approve_sync');
    const [post] = await eventually(
      () => {
        const found = fleetReleasesOf(env, sha);
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 20_000 },
    );
    clearInterval(watch);
    expect(early).toBe(false);
    expect((await storedFleet(env, cardId)).state).toBe('succeeded');
    expect(syncsOf(world, names)).toHaveLength(3);

    const text = JSON.stringify(post!.blocks);
    expect(post!.text).toBe(`🚀 fleet svc-fleet ${sha.slice(0, 7)} released to prod: 3 apps`);
    expect(text).toContain('🚀 Fleet svc-fleet released to prod');
    expect(text).toContain(`/commit/${sha}|${sha.slice(0, 7)}>`);
    // The subject is outside text: escaped, so it pings nobody.
    expect(text).toContain('Raise &lt;!channel&gt; the consumer batch size');
    expect(text).not.toContain('<!channel>');
    for (const name of names) expect(text).toContain(`\`default/${name}\``);
    expect(text).toContain('<@U0ALICE>');
    expect(text).toContain(
      `/archives/${CHANNELS.prodDeploys.id}/p${card.ts.replace('.', '')}|Fleet card and its rows>`,
    );
    await env.world.argocd.whenNotificationsIdle();
    await sleep(800);
    expect(fleetReleasesOf(env, sha)).toHaveLength(1);
    expect(appReleasesOf(env, names)).toEqual([]);
  }, 40_000);

  it('announces nothing when a wave fails', async () => {
    const { world } = env;
    const sha = await moveFleet(world, names, 'A broken change');
    const card = await waitForFleetCard(world, sha, (m) => names.every((n) => rowsOf(m).includes(n)));
    const cardId = fleetCardId(card);
    world.argocd.failNextSync(names[0]!);
    await press(env, card, 'fleet_approve_sync');
    await eventually(async () => (await storedFleet(env, cardId)).state === 'failed', { timeoutMs: 15_000 });
    await env.world.argocd.whenNotificationsIdle();
    await sleep(800);
    expect(fleetReleasesOf(env, sha)).toEqual([]);
    expect(await env.bot.bot.features.fleetReleases.announce(cardId)).toBe('not-eligible');
    expect(fleetReleasesOf(env, sha)).toEqual([]);
  }, 40_000);
});

describe('fleet release announcements, two replicas sharing a store', () => {
  let env: WorldWithBot;
  let second: TestBot;
  const names = appNames(4);
  useFleetReplicas(names, 200, (started, replica) => {
    env = started;
    second = replica;
  });

  it('announces the group exactly once, and racing announcers on both replicas post once', async () => {
    const { world } = env;
    const sha = await moveFleet(world, names, 'Replica-safe fleet release');
    const card = await waitForFleetCard(world, sha, (m) => names.every((n) => rowsOf(m).includes(n)));
    const cardId = fleetCardId(card);
    // Approved on the second replica; notifications still reach the first.
    await press(env, card, 'fleet_approve_sync', 'U0ALICE', second.url);
    await eventually(() => fleetReleasesOf(env, sha).length > 0, { timeoutMs: 20_000 });
    await env.world.argocd.whenNotificationsIdle();
    await sleep(1000);
    expect(fleetReleasesOf(env, sha)).toHaveLength(1);

    // Both replicas asked again (a transition seen twice): the claim is taken, nothing more is posted.
    const again = await Promise.all([
      env.bot.bot.features.fleetReleases.announce(cardId),
      second.bot.features.fleetReleases.announce(cardId),
    ]);
    expect(again).toEqual(['already-announced', 'already-announced']);

    // As if the claim had never been taken: four racing announcers across the replicas post exactly once.
    await env.bot.store.unmarkSeen(storeKeys.fleetReleaseClaim(cardId));
    const outcomes = await Promise.all([
      env.bot.bot.features.fleetReleases.announce(cardId),
      second.bot.features.fleetReleases.announce(cardId),
      env.bot.bot.features.fleetReleases.announce(cardId),
      second.bot.features.fleetReleases.announce(cardId),
    ]);
    expect(outcomes.filter((o) => o === 'posted')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'already-announced')).toHaveLength(3);
    expect(fleetReleasesOf(env, sha)).toHaveLength(2);
  }, 60_000);
});
