import type { Registry } from 'prom-client';
import { AppHomeService } from '../app-home/app-home-service.js';
import type { CardService } from '../cards/card-service.js';
import { OperationFollower } from '../cards/operation-follower.js';
import type { Reconciler } from '../cards/reconciler.js';
import { freezeDisplayDeps, registerCards } from '../cards/register-cards.js';
import { githubWebUrl } from '../cards/render-card.js';
import { RolloutFollower } from '../cards/rollout-follower.js';
import { showFreezeChanges } from '../cards/show-freeze-changes.js';
import { createRevertPullRequestOpener } from '../clients/github/open-revert-pull-request.js';
import { type DeliveryFeature, registerDelivery } from '../delivery/register-delivery.js';
import { ActionService } from '../deploy-actions/action-service.js';
import { buildPolicyInput } from '../deploy-actions/resolve-policy-input.js';
import { RolloutActionService } from '../deploy-actions/rollout-action.js';
import type { Card } from '../domain/card.js';
import { decide } from '../domain/policy/index.js';
import { type FleetFeature, registerFleet } from '../fleet/register-fleet.js';
import type { WaveRunnerOptions } from '../fleet/wave-runner.js';
import { FreezeService } from '../freezes/freeze-service.js';
import { type GitHubEventsFeature, registerGitHubEvents } from '../github-checks/register-github-events.js';
import type { GitHubDeploymentRecorder } from '../github-deployments/github-deployment-recorder.js';
import { registerGitHubDeployments } from '../github-deployments/register-deployments.js';
import type { FleetReleaseAnnouncer } from '../releases/fleet-release-announcer.js';
import {
  registerFleetReleaseAnnouncements,
  registerReleaseAnnouncements,
} from '../releases/register-releases.js';
import type { ReleaseAnnouncer } from '../releases/release-announcer.js';
import { mapBounded } from '../runtime/map-bounded.js';
import { registerAbortRolloutButton } from '../slack/actions/abort-rollout-button.js';
import { registerBreakGlassButton } from '../slack/actions/break-glass-button.js';
import { registerFleetCardButtons } from '../slack/actions/fleet-card-buttons.js';
import { registerFleetRejectButton } from '../slack/actions/fleet-reject-button.js';
import { registerPromoteFullRolloutButton } from '../slack/actions/promote-full-rollout-button.js';
import { registerPromoteRolloutButton } from '../slack/actions/promote-rollout-button.js';
import { registerCardActions } from '../slack/actions/register-card-actions.js';
import { registerRejectButton } from '../slack/actions/reject-button.js';
import { registerRetryRolloutButton } from '../slack/actions/retry-rollout-button.js';
import { registerDeployFreezeCommand } from '../slack/commands/deploy-freeze.js';
import { registerDeployStatusCommand } from '../slack/commands/deploy-status.js';
import { registerAppHomeOpened } from '../slack/events/app-home-opened.js';
import { registerBreakGlassReasonView } from '../slack/views/break-glass-reason.js';
import { registerFleetRejectReasonView } from '../slack/views/fleet-reject-reason.js';
import { registerRejectReasonView } from '../slack/views/reject-reason.js';
import { resolveAskerIdentity } from '../status/asker-identity.js';
import { StatusService } from '../status/status-service.js';
import type { AppContext } from './context.js';

export interface Features {
  cards: CardService;
  reconciler: Reconciler;
  actions: ActionService;
  follower: OperationFollower;
  rolloutFollower: RolloutFollower;
  status: StatusService;
  releases: ReleaseAnnouncer;
  fleetReleases: FleetReleaseAnnouncer;
  deployments: GitHubDeploymentRecorder;
  githubEvents: GitHubEventsFeature;
  freezes: FreezeService;
  delivery: DeliveryFeature;
  fleet: FleetFeature;
}

/** Each feature wires its own listeners, dispatcher handlers and workers. */
export function registerFeatures(
  context: AppContext,
  options: {
    reconcileIntervalMs?: number;
    isBusy?: () => boolean;
    metricsRegistry: Registry;
    fleet?: WaveRunnerOptions;
  },
): Features {
  // Fleet groups come before `apps` rules: their apps' notifications go to the fleet cards.
  const fleet = registerFleet(context, {
    reconcileIntervalMs: options.reconcileIntervalMs,
    ...options.fleet,
  });
  const { cards, reconciler } = registerCards({ ...context, routeToFleet: fleet.route }, options);
  const follower = new OperationFollower(context, cards);
  reconciler.followWith((cardId) => void follower.follow(cardId));
  const openRevert = context.github ? createRevertPullRequestOpener(context.github.octokit) : undefined;
  const actions = new ActionService(context, cards, follower, openRevert);
  const logger = context.logger.child({ component: 'slack' });
  registerCardActions(context.bolt, actions, logger, { isBusy: options.isBusy });
  registerFleetCardButtons(context.bolt, fleet.actions, logger);
  registerFleetRejectButton(context.bolt, {
    actions: fleet.actions,
    repo: fleet.fleet.repo,
    slack: context.slack,
    logger,
  });
  registerFleetRejectReasonView(context.bolt, { actions: fleet.actions, logger });
  registerRejectButton(context.bolt, { actions, repo: cards.repo, slack: context.slack, logger });
  registerRejectReasonView(context.bolt, { actions, logger });
  registerBreakGlassButton(context.bolt, { actions, repo: cards.repo, slack: context.slack, logger });
  registerBreakGlassReasonView(context.bolt, { actions, logger });
  const rolloutFollower = new RolloutFollower(context, cards);
  rolloutFollower.start();
  const rollouts = new RolloutActionService(context, cards, (cardId) => {
    void rolloutFollower.follow(cardId, { soon: true });
  });
  for (const register of [
    registerPromoteRolloutButton,
    registerPromoteFullRolloutButton,
    registerAbortRolloutButton,
    registerRetryRolloutButton,
  ])
    register(context.bolt, { rollouts, logger });
  context.onShutdown(() => rolloutFollower.stop());
  const freezeDisplay = freezeDisplayDeps(context, cards);
  const freezes = new FreezeService({
    store: context.store,
    slack: context.slack,
    policy: context.config.policy,
    now: context.now,
    logger: context.logger.child({ component: 'freezes' }),
    showFreezeChanges: (environments) => showFreezeChanges(freezeDisplay, environments),
  });
  registerDeployFreezeCommand(context.bolt, freezes, logger);
  context.onShutdown(() => follower.stop());
  const delivery = registerDelivery({
    store: context.store,
    slack: context.slack,
    policy: context.config.policy,
    logger: context.logger,
    now: context.now,
    registry: options.metricsRegistry,
    onTransition: (listener) => cards.events.on('transition', listener),
    onShutdown: context.onShutdown,
    githubWebUrl: githubWebUrl(context.config.env.GITHUB_API_URL),
  });
  const status = new StatusService(
    context,
    cards.repo,
    {},
    {
      records: delivery.records,
      notify: delivery.preferences,
    },
  );
  registerDeployStatusCommand(context.bolt, status, logger);
  registerAppHomeOpened(context.bolt, createAppHome(context, cards), logger);
  const releases = registerReleaseAnnouncements(context, cards);
  const fleetReleases = registerFleetReleaseAnnouncements(context, fleet.fleet);
  const deployments = registerGitHubDeployments(context, cards);
  const githubEvents = registerGitHubEvents(context, cards);
  return {
    cards,
    reconciler,
    actions,
    follower,
    rolloutFollower,
    status,
    releases,
    fleetReleases,
    deployments,
    githubEvents,
    freezes,
    delivery,
    fleet,
  };
}

/** The most cards App Home reads per open; the active set is small (finished cards retire). */
const HOME_MAX_CARDS = 500;

function createAppHome(context: AppContext, cards: CardService): AppHomeService {
  const { repo } = cards;
  return new AppHomeService({
    async activeCards() {
      const ids = (await repo.activeIds()).slice(0, HOME_MAX_CARDS);
      let incomplete = false;
      const read = await mapBounded(ids, 8, (id) =>
        repo.get(id).catch(() => {
          incomplete = true;
          return undefined;
        }),
      );
      return { cards: read.filter((c): c is Card => c !== undefined), incomplete };
    },
    async mayApprove(card, userId) {
      const input = await buildPolicyInput(context, repo, 'approve', card, userId);
      return input !== undefined && decide(input).allowed;
    },
    identity: (userId) => resolveAskerIdentity(context.config.policy, context.slack, userId, context.logger),
    permalink: (channel, ts) => context.slack.permalink(channel, ts),
    publishHome: (userId, view) => context.slack.publishHome(userId, view),
    logger: context.logger.child({ component: 'app-home' }),
  });
}
