import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import type { ChannelMessage } from '../../../sandbox/fake-slack/index.js';
import { CHANNELS, POLICY_YAML, PROJECT, REPO_URL } from '../../../sandbox/world/seed.js';
import type { World } from '../../../sandbox/world/start-world.js';
import type { FleetCard } from '../../../src/domain/fleet-card.js';
import { type StartTestBotOptions, startTestBot, type TestBot } from '../../helpers/start-test-bot.js';
import { eventually, startWorldWithBot, type WorldWithBot } from '../../helpers/start-world-bot.js';
import { cardIdOf, craftClick } from '../actions/helpers.js';

export const PROD = CHANNELS.prodDeploys.id;
const GROUP = 'svc-fleet';
export const FLEET_POLICY = `${POLICY_YAML}groups:
  - name: ${GROUP}
    match: "fleet-svc-*-prod"
    environment: prod
    waves: ["*-canary", "*"]
`;

export const appNames = (count: number) => [
  'fleet-svc-canary-prod',
  ...Array.from({ length: count - 1 }, (_, i) => `fleet-svc-r${String(i + 1).padStart(3, '0')}-prod`),
];

/** Adds manual-sync apps of the group to the fake Argo CD, all running the world's current main. */
export function addFleetApps(world: World, names: readonly string[]): void {
  for (const name of names)
    world.argocd.addApp({
      name,
      project: PROJECT,
      repoURL: REPO_URL,
      path: 'k8s/services/event-ingestion',
      targetRevision: 'main',
      destination: { server: 'https://kubernetes.default.svc', namespace: name },
      autoSync: false,
      revision: world.headOf('main'),
      previousRevisions: ['1111111111111111111111111111111111111111'],
      health: 'Healthy',
    });
}

/**
 * One world and bot with the fleet policy and `names` as the group's apps, for the calling describe block:
 * started before its tests (`started` hands it over), stopped after them. `operationMs`: how long the fake
 * Argo CD takes to sync, then to turn Healthy.
 */
export function useFleetWorld(
  names: readonly string[],
  operationMs: number,
  started: (env: WorldWithBot) => void,
  botOptions: Omit<StartTestBotOptions, 'policy'> = {},
): void {
  let env: WorldWithBot | undefined;
  beforeAll(async () => {
    env = await startWorldWithBot(
      { timing: { syncMs: operationMs, healthMs: operationMs } },
      { policy: FLEET_POLICY, ...botOptions },
    );
    addFleetApps(env.world, names);
    started(env);
  }, 60_000);
  afterAll(async () => {
    await env?.stop();
  }, 30_000);
}

/** As useFleetWorld, with a second bot replica on the same Redis prefix (racing presses, once-guards). */
export function useFleetReplicas(
  names: readonly string[],
  operationMs: number,
  started: (env: WorldWithBot, second: TestBot) => void,
): void {
  let env: WorldWithBot | undefined;
  let second: TestBot | undefined;
  beforeAll(async () => {
    const prefix = `test:${randomUUID()}:`;
    env = await startWorldWithBot(
      { timing: { syncMs: operationMs, healthMs: operationMs } },
      { policy: FLEET_POLICY, prefix },
    );
    second = await startTestBot({ env: env.world.env, policy: FLEET_POLICY, prefix });
    addFleetApps(env.world, names);
    started(env, second);
  }, 60_000);
  afterAll(async () => {
    await second?.stop();
    await env?.stop();
  }, 30_000);
}

/** A commit on main that the fleet's apps (and nothing else) move to. */
export async function moveFleet(
  world: World,
  names: readonly string[],
  message = 'Fleet change',
  { failingChecks = false } = {},
): Promise<string> {
  const sha = await world.pushCommit({ author: 'dave', message, branch: 'develop', failingChecks });
  for (const name of names) world.argocd.pushRevision(name, sha);
  return sha;
}

export function fleetMessages(world: World, sha: string): ChannelMessage[] {
  return world.slack
    .channelMessages(PROD)
    .filter(
      (m) =>
        (!m.thread_ts || m.thread_ts === m.ts) && m.text.startsWith(`fleet ${GROUP} ${sha.slice(0, 7)} `),
    );
}

export async function waitForFleetCard(
  world: World,
  sha: string,
  predicate: (m: ChannelMessage) => boolean = () => true,
  timeoutMs = 15_000,
): Promise<ChannelMessage> {
  return eventually(
    () => {
      const found = fleetMessages(world, sha);
      expect(found.length).toBeLessThanOrEqual(1);
      return found[0] && predicate(found[0]) ? found[0] : undefined;
    },
    { timeoutMs },
  );
}

export const rowsOf = (m: ChannelMessage) => JSON.stringify(m.blocks ?? []);

export async function storedFleet(env: WorldWithBot, cardId: string): Promise<FleetCard> {
  const card = await env.bot.bot.features.fleet.fleet.repo.get(cardId);
  if (!card) throw new Error(`fleet card ${cardId} is not stored`);
  return card;
}

export async function press(
  env: WorldWithBot,
  message: ChannelMessage,
  actionId: string,
  user = 'U0ALICE',
  botUrl = env.bot.url,
): Promise<void> {
  const { status } = await craftClick(env.world, { botUrl, user, channel: PROD, ts: message.ts, actionId });
  expect(status).toBe(200);
}

export const fleetCardId = cardIdOf;

/** Sync requests of the given apps, in the order Argo CD received them. */
export function syncsOf(world: World, names: readonly string[]) {
  return world.argocd
    .syncRequests()
    .filter((r) => names.some((n) => r.path === `/api/v1/applications/${n}/sync`));
}

export const appOfPath = (path: string) => /\/applications\/([^/]+)/.exec(path)?.[1] ?? '';
