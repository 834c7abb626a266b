import type { ArgoCdAppRow, Scenario } from '../console/console-model.js';
import { appLabel } from '../world/argocd-instances.js';
import { CHANNELS, ONCALL_GROUP, PEOPLE, type PersonKey, PROJECT, REPO_URL } from '../world/seed.js';
import type { World, WorldAppRef } from '../world/start-world.js';
import { FLEET_GROUP } from './demo-fleet.js';

const PROD_APP = 'event-ingestion-prod';
const SLOW_ARGOCD_MS = 2500;
/** Who may freeze prod in the seed's policy: its approver alice and the on-call group (approvers, break glass). */
const FREEZERS: readonly string[] = [PEOPLE.alice.id, ...ONCALL_GROUP.users];
const FREEZE_REASON = 'Incident drill: payments outage';
/** The demo's Argo Rollouts app: canary 20% → pause → 50% → pause → 100%, 3 s per automatic step. */
const CANARY_APP = 'event-consumer-prod';
const CANARY_ROLLOUT = 'event-consumer';

/** Adds the canary app to the world's Argo CD (same repository path as event-ingestion-prod; pushed on its own). */
export function addCanaryApp(world: World): void {
  const revision = world.headOf('main');
  world.argocd.addApp({
    name: CANARY_APP,
    project: PROJECT,
    repoURL: REPO_URL,
    path: 'k8s/services/event-ingestion',
    targetRevision: 'main',
    destination: { server: 'https://kubernetes.default.svc', namespace: 'gamemetrics' },
    revision,
    images: world.argocd.app('event-ingestion-prod').status.summary?.images ?? [],
    rollouts: [{ name: CANARY_ROLLOUT, stepMs: 3000 }],
  });
}

function personOf(userId: string): PersonKey {
  const entry = Object.entries(PEOPLE).find(([, p]) => p.id === userId);
  return (entry?.[0] as PersonKey | undefined) ?? 'dave';
}

function describePush(sha: string, branch: string, author: PersonKey, note = ''): string {
  return `Pushed ${sha.slice(0, 7)} to ${branch} as ${author}${note}; Argo CD sees Git move now.`;
}

/**
 * A slash command typed in #prod-deploys by the console user when the policy lets them run it, else by bob
 * (on-call): it reaches the bot signed, as Slack sends it, and the bot answers that person.
 */
async function freezeCommand(world: World, user: string, text: string): Promise<string> {
  const asker = FREEZERS.includes(user) ? user : PEOPLE.bob.id;
  const result = await world.slack.slashCommand({
    user: asker,
    channel: CHANNELS.prodDeploys.id,
    command: '/deploy-freeze',
    text,
  });
  const who = PEOPLE[personOf(asker)].name;
  if (result.status !== 200)
    return `/deploy-freeze ${text} as ${who}: deploybot answered HTTP ${result.status}.`;
  if (result.problems) return `Slack refused deploybot's answer: ${result.problems.join('; ')}`;
  return `${who} typed /deploy-freeze ${text} in #${CHANNELS.prodDeploys.name}; deploybot answered ${who} there.`;
}

/** Every application of every instance, for the console's Argo CD panel. */
export function argocdAppRows(world: World): ArgoCdAppRow[] {
  return world.instances.flatMap((instance) =>
    world
      .argocdOn(instance)
      .apps()
      .map((app) => ({
        instance,
        app: app.metadata.name,
        sync: app.status.sync.status,
        health: app.status.health.status,
        operation: app.status.operationState?.phase,
        // The deployed revision (last history entry), not sync.revision, which is Git's target.
        revision: app.status.history?.at(-1)?.revision ?? app.status.sync.revision,
      })),
  );
}

/** Scenarios of the fleet demo: push the group's revision, fail its first wave. */
function fleetScenarios(world: World, fleet: readonly WorldAppRef[]): Scenario[] {
  const [first] = fleet;
  if (!first) return [];
  const names = fleet.map((ref) => appLabel(ref.instance, ref.name, world.multiInstance));
  const firstName = appLabel(first.instance, first.name, world.multiInstance);
  return [
    {
      id: 'push-fleet',
      label: 'Push to the event-ingestion fleet',
      hint: `a commit to main that moves ${names.join(', ')}: one fleet card (${FLEET_GROUP}) in #prod-deploys; Approve & Sync syncs the canary wave first`,
      async run({ user }) {
        const author = personOf(user);
        const sha = await world.pushCommit({ author, branch: 'main', alsoMove: fleet, moveSeedApps: false });
        return describePush(sha, 'main', author, ` (${names.join(', ')})`);
      },
    },
    {
      id: 'fail-fleet-wave',
      label: 'Fail the canary wave',
      hint: `the next sync of ${firstName} fails: the later waves of the fleet card do not start`,
      async run() {
        world.argocdOn(first.instance).failNextSync(first.name);
        return `The next sync of ${firstName} will fail.`;
      },
    },
  ];
}

/**
 * The scenario panel of the demo: each button changes the world the bot watches, as a user would. The seed's
 * apps live on the world's first instance (`world.argocd`), named `<instance>/<app>` when there are several.
 */
export function createWorldScenarios(world: World, fleet: readonly WorldAppRef[] = []): Scenario[] {
  let slow = false;
  const seedInstance = world.instances[0] ?? '';
  const prodApp = appLabel(seedInstance, PROD_APP, world.multiInstance);
  const canaryApp = appLabel(seedInstance, CANARY_APP, world.multiInstance);
  const everyArgoCd = Object.values(world.argocdInstances);
  return [
    {
      id: 'push-main',
      label: 'Push a commit to main',
      hint: 'event-ingestion-prod (manual sync: approval card in #prod-deploys) + kafka-prod (auto-sync)',
      async run({ user }) {
        const author = personOf(user);
        return describePush(await world.pushCommit({ author, branch: 'main' }), 'main', author);
      },
    },
    {
      id: 'push-develop',
      label: 'Push to develop (dev apps)',
      hint: 'event-ingestion-dev + kafka-dev auto-sync: informational cards in #deploys',
      async run({ user }) {
        const author = personOf(user);
        return describePush(await world.pushCommit({ author, branch: 'develop' }), 'develop', author);
      },
    },
    {
      id: 'push-failing',
      label: 'Push with failing checks',
      hint: 'a commit to main whose GitHub checks are red: prod requires green checks',
      async run({ user }) {
        const author = personOf(user);
        const sha = await world.pushCommit({
          author,
          branch: 'main',
          failingChecks: true,
          message: 'Switch the consumer to the new schema registry',
        });
        return describePush(sha, 'main', author, ' with red checks');
      },
    },
    {
      id: 'fail-next-sync',
      label: 'Fail the next sync',
      hint: `the next sync of ${prodApp} fails in Argo CD`,
      async run() {
        world.argocd.failNextSync(PROD_APP);
        return `The next sync of ${prodApp} will fail.`;
      },
    },
    {
      id: 'hang-next-sync',
      label: 'Hang the next sync',
      hint: `the next sync of ${prodApp} stays Running in Argo CD: the card marks it stuck after the syncTimeout and offers Abort`,
      async run() {
        world.argocd.hangNextSync(PROD_APP);
        return `The next sync of ${prodApp} will hang until someone aborts it.`;
      },
    },
    {
      id: 'freeze-prod',
      label: 'Freeze prod for 1h',
      hint: '/deploy-freeze prod 1h, as you if you may freeze prod (alice, bob), else as bob: prod cards refuse approval, on-call may Break glass',
      run: ({ user }) => freezeCommand(world, user, `prod 1h ${FREEZE_REASON}`),
    },
    {
      id: 'unfreeze-prod',
      label: 'Unfreeze prod',
      hint: '/deploy-freeze off prod, as you if you may, else as bob',
      run: ({ user }) => freezeCommand(world, user, 'off prod'),
    },
    {
      id: 'degrade-health',
      label: 'Degrade health',
      hint: `${prodApp} turns Degraded in Argo CD`,
      async run() {
        world.argocd.degrade(PROD_APP, 'Deployment event-consumer: 0/2 replicas available');
        return `${prodApp} is now Degraded.`;
      },
    },
    {
      id: 'slow-argocd',
      label: 'Make Argo CD slow',
      hint: `toggles a ${SLOW_ARGOCD_MS / 1000} s delay on every Argo CD API answer${world.multiInstance ? ` (${world.instances.join(', ')})` : ''}`,
      async run() {
        slow = !slow;
        for (const argocd of everyArgoCd) argocd.setLatency(slow ? SLOW_ARGOCD_MS : 0);
        return slow
          ? `Argo CD now answers after ${SLOW_ARGOCD_MS / 1000} s. Press again to make it fast.`
          : 'Argo CD answers at full speed again.';
      },
    },
    {
      id: 'push-canary',
      label: 'Push to the canary app',
      hint: `a commit to main that ${canaryApp} deploys through an Argo Rollouts canary (Promote on its card)`,
      async run({ user }) {
        const author = personOf(user);
        const sha = await world.pushCommit({ author, branch: 'main' });
        world.argocd.pushRevision(CANARY_APP, sha);
        return describePush(sha, 'main', author, ` (${canaryApp} too)`);
      },
    },
    {
      id: 'fail-analysis',
      label: 'Fail the analysis',
      hint: `the running analysis of the ${CANARY_ROLLOUT} canary fails (the Rollout aborts; Retry on its card)`,
      async run() {
        world.argocd.failAnalysis(CANARY_APP, CANARY_ROLLOUT);
        return `The analysis of ${CANARY_ROLLOUT} failed: the Rollout aborts (or the next one fails, if none runs).`;
      },
    },
    {
      id: 'rate-limit-update',
      label: 'Rate-limit Slack chat.update',
      hint: 'the next 3 chat.update calls answer 429 with Retry-After: 2',
      async run() {
        world.slack.rateLimit('chat.update', { calls: 3, retryAfterSec: 2 });
        return 'The next 3 chat.update calls get HTTP 429 (Retry-After: 2 s).';
      },
    },
    ...fleetScenarios(world, fleet),
  ];
}

/** What each person is in the seed's policy, for the user switcher. */
export const WORLD_ROLES: Record<string, string> = {
  [PEOPLE.alice.id]: 'approver',
  [PEOPLE.bob.id]: 'on-call',
  [PEOPLE.dave.id]: 'developer',
  [PEOPLE.carol.id]: 'developer',
};
