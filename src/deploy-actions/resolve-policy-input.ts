import type { CardRepository } from '../cards/card-repository.js';
import type { SlackClient } from '../clients/slack/slack-client.js';
import type { Config } from '../config/load-config.js';
import type { EnvironmentPolicy } from '../config/policy-schema.js';
import type { Card } from '../domain/card.js';
import type {
  Actor,
  GroupMembers,
  PolicyAction,
  PolicyInput,
  PrincipalList,
} from '../domain/policy/index.js';
import { ANYONE, mergePrincipals } from '../domain/policy/principals.js';
import { SlackFreezeStore } from '../freezes/slack-freeze-store.js';
import type { Logger } from '../logging/create-logger.js';
import type { Store } from '../store/store.js';

/** What this module needs from the composition root (a narrow port, not the app's bag). */
export interface PolicyInputDeps {
  config: Config;
  logger: Logger;
  now: () => number;
  slack: SlackClient;
  store: Store;
}

const FORWARD: ReadonlySet<PolicyAction> = new Set([
  'approve',
  'reject',
  'retry',
  'break-glass',
  'release-hold',
]);

/**
 * Resolves who the clicker is without trusting anything the click carried: the `people` entry (login,
 * e-mails) and, only when the decision compares e-mails (approve with self-approval off), the Slack
 * profile e-mail. A profile that cannot be read is said so, not taken as "no e-mail" (fail closed).
 */
export async function resolveActor(
  ctx: PolicyInputDeps,
  userId: string,
  environment: EnvironmentPolicy,
  action: PolicyAction = 'approve',
): Promise<Actor> {
  const person = ctx.config.policy.people.find((p) => p.slack === userId);
  const emails = [person?.email, ...(person?.emails ?? [])].filter((e): e is string => Boolean(e));
  let emailUnknown = false;
  if ((action === 'approve' || action === 'break-glass') && !environment.allowSelfApproval) {
    try {
      const profile = await ctx.slack.userEmail(userId);
      if (profile) emails.push(profile);
    } catch (error) {
      ctx.logger.warn(
        { err: error, user: userId },
        'could not read the Slack profile e-mail for self-approval',
      );
      emailUnknown = true;
    }
  }
  const unique = [...new Set(emails.map((e) => e.trim().toLowerCase()))];
  return {
    id: userId,
    githubLogin: person?.github,
    email: unique[0],
    emails: unique,
    ...(emailUnknown ? { emailUnknown } : {}),
  };
}

/** Whom the action's rule admits: abort of a rollback also admits the rollback users (see decideAbort). */
function principalsFor(action: PolicyAction, card: Card, environment: EnvironmentPolicy): PrincipalList {
  switch (action) {
    case 'rollback':
    case 'revert-in-git':
      return environment.rollback;
    case 'break-glass':
      return environment.breakGlass;
    case 'promote-rollout':
    case 'promote-full-rollout':
    case 'abort-rollout':
    case 'retry-rollout':
      return environment.promote;
    case 'abort':
      return card.state === 'rolling-back'
        ? mergePrincipals(environment.approvers, environment.rollback)
        : environment.approvers;
    default:
      return environment.approvers;
  }
}

/**
 * Members of the groups the action's rule names, and only when they can matter: a user listed by id
 * (or admitted by "*") needs no Slack call. A group Slack will not list counts as unread (deny).
 * `external` users are not admitted by "*", so for them the groups are still read.
 */
async function resolveGroups(
  ctx: PolicyInputDeps,
  principals: PrincipalList,
  userId: string,
  { external }: { external?: boolean } = {},
): Promise<GroupMembers> {
  if (principals.users.includes(userId)) return {};
  if (external === false && principals.users.includes(ANYONE)) return {};
  const groups = [...new Set(principals.groups)];
  const entries = await Promise.all(
    groups.map(async (group) => {
      try {
        return [group, await ctx.slack.groupMembers(group)] as const;
      } catch (error) {
        ctx.logger.warn(
          { err: error, group },
          'could not list user group members; treating the group as empty',
        );
        return undefined;
      }
    }),
  );
  return Object.fromEntries(entries.filter((e) => e !== undefined));
}

/** Whether the card still speaks for the app: a newer target (or deploy) makes it stale. */
async function isCurrentTarget(repo: CardRepository, card: Card, action: PolicyAction): Promise<boolean> {
  if (card.kind === 'info' && FORWARD.has(action)) return true;
  const current = await repo.currentTarget(card.app);
  if (!current || current.cardId === card.id) return true;
  if (FORWARD.has(action)) return card.kind === 'info';
  // Going back from a deployed card is stale only once something newer is deployed or deploying.
  const newer = await repo.get(current.cardId);
  return !newer || !['syncing', 'succeeded', 'degraded', 'rolling-back'].includes(newer.state);
}

/**
 * Everything the pure policy needs, read now: the environment comes from the policy as loaded by this
 * process (its current `requiredApprovals`, not the number stored on the card), the people from Slack.
 * `external` (Slack Connect, from the signed click) is passed on to the actor.
 */
export async function buildPolicyInput(
  ctx: PolicyInputDeps,
  repo: CardRepository,
  action: PolicyAction,
  card: Card,
  userId: string,
  { external }: { external?: boolean } = {},
): Promise<PolicyInput | undefined> {
  const environment = ctx.config.policy.environments[card.environment];
  if (!environment) return undefined;
  const [actor, groupMembers, current, slackFreeze] = await Promise.all([
    resolveActor(ctx, userId, environment, action),
    resolveGroups(ctx, principalsFor(action, card, environment), userId, { external }),
    isCurrentTarget(repo, card, action),
    // Declared from Slack, read now from the shared store: a freeze made on another replica counts.
    new SlackFreezeStore(ctx.store, ctx.now).inForce(card.environment),
  ]);
  return {
    action,
    card,
    environment,
    actor: external === undefined ? actor : { ...actor, external },
    groupMembers,
    now: ctx.now(),
    isCurrentTarget: current,
    slackFreezes: slackFreeze ? [slackFreeze] : [],
  };
}
