import type { EnvironmentPolicy } from '../config/policy-schema.js';
import type { ActionOutcome } from '../deploy-actions/action-outcome.js';
import { resolveActor } from '../deploy-actions/resolve-policy-input.js';
import type { ChecksSummary } from '../domain/card.js';
import type { FleetCard, FleetEvent } from '../domain/fleet-card.js';
import { decideFleet, type FleetAction } from '../domain/fleet-policy.js';
import { ANYONE } from '../domain/policy/principals.js';
import type { GroupMembers } from '../domain/policy/types.js';
import { SlackFreezeStore } from '../freezes/slack-freeze-store.js';
import type { Logger } from '../logging/create-logger.js';
import { StoreUnavailableError } from '../store/store.js';
import type { FleetDeps, FleetService } from './fleet-service.js';

/** Who pressed, from Slack's signed payload (never from the button's value). */
export interface FleetClickOrigin {
  userId: string;
  external?: boolean;
  log?: Logger;
}

/**
 * What a press on a fleet card asks for. Authorization is decided from the card as stored and the
 * group's environment in the policy; the state rules are the transition's, inside the version-checked
 * write, so five racing presses on two replicas approve (and start the waves) once.
 */
export class FleetActions {
  constructor(
    private readonly ctx: FleetDeps,
    private readonly fleet: FleetService,
  ) {}

  approve(cardId: string, origin: FleetClickOrigin): Promise<ActionOutcome> {
    return this.act('approve', cardId, origin, (card) => ({
      kind: 'approve',
      user: origin.userId,
      requiredApprovals: this.ctx.config.policy.environments[card.environment]?.requiredApprovals ?? 1,
    }));
  }

  reject(cardId: string, origin: FleetClickOrigin, reason: string): Promise<ActionOutcome> {
    return this.act('reject', cardId, origin, () => ({ kind: 'reject', user: origin.userId, reason }));
  }

  abort(cardId: string, origin: FleetClickOrigin): Promise<ActionOutcome> {
    return this.act('abort', cardId, origin, () => ({ kind: 'abort', user: origin.userId }));
  }

  retry(cardId: string, origin: FleetClickOrigin): Promise<ActionOutcome> {
    return this.act('retry', cardId, origin, () => ({ kind: 'retry', user: origin.userId }));
  }

  rollback(cardId: string, origin: FleetClickOrigin): Promise<ActionOutcome> {
    return this.act('rollback', cardId, origin, () => ({ kind: 'rollback', user: origin.userId }));
  }

  /** Whether the user may reject (checked before the reason modal opens, and again on submit). */
  async mayReject(cardId: string, origin: FleetClickOrigin): Promise<ActionOutcome> {
    const card = await this.fleet.repo.get(cardId);
    if (!card) return { kind: 'refused', message: 'This fleet card is no longer stored.' };
    if (card.state !== 'pending')
      return {
        kind: 'refused',
        message: `This fleet card is ${card.state}, so it can no longer be rejected.`,
      };
    const decision = await this.decide('reject', card, origin);
    return decision.allowed
      ? { kind: 'done' }
      : { kind: 'denied', rule: decision.rule, reason: decision.reason };
  }

  private async decide(action: FleetAction, card: FleetCard, origin: FleetClickOrigin) {
    const environment = this.ctx.config.policy.environments[card.environment];
    if (!environment)
      return {
        allowed: false as const,
        rule: 'no-approvers' as const,
        reason: `Environment ${card.environment} is no longer in deploybot.yaml.`,
      };
    const principals = action === 'rollback' ? environment.rollback : environment.approvers;
    const [actor, groupMembers, slackFreeze, checks] = await Promise.all([
      resolveActor(this.ctx, origin.userId, environment, action === 'approve' ? 'approve' : 'reject'),
      this.groupMembers(principals, origin),
      new SlackFreezeStore(this.ctx.store, this.ctx.now).inForce(card.environment),
      action === 'approve' ? this.checks(card, environment) : Promise.resolve(undefined),
    ]);
    return decideFleet({
      action,
      card,
      environment,
      actor: { ...actor, external: origin.external === true },
      groupMembers,
      now: this.ctx.now(),
      slackFreezes: slackFreeze ? [slackFreeze] : [],
      checks,
    });
  }

  /** Read at the press, only where the environment gates on checks; unreadable = unknown (refused). */
  private async checks(card: FleetCard, environment: EnvironmentPolicy): Promise<ChecksSummary | undefined> {
    if (!environment.requireGreenChecks && environment.requiredChecks.length === 0) return undefined;
    if (!this.ctx.github || !card.repo) return undefined;
    try {
      return await this.ctx.github.checks(card.repo, card.revision);
    } catch (error) {
      this.ctx.logger.warn({ err: error, cardId: card.id }, 'could not read the fleet revision checks');
      return undefined;
    }
  }

  private async groupMembers(
    principals: { users: string[]; groups: string[] },
    origin: FleetClickOrigin,
  ): Promise<GroupMembers> {
    if (principals.users.includes(origin.userId)) return {};
    if (!origin.external && principals.users.includes(ANYONE)) return {};
    const entries = await Promise.all(
      principals.groups.map(async (group) => {
        try {
          return [group, await this.ctx.slack.groupMembers(group)] as const;
        } catch (error) {
          this.ctx.logger.warn(
            { err: error, group },
            'could not list user group members; treating it as empty',
          );
          return undefined;
        }
      }),
    );
    return Object.fromEntries(entries.filter((e) => e !== undefined));
  }

  private async act(
    action: FleetAction,
    cardId: string,
    origin: FleetClickOrigin,
    event: (card: FleetCard) => FleetEvent,
  ): Promise<ActionOutcome> {
    const log = origin.log ?? this.ctx.logger;
    try {
      let card = await this.fleet.repo.get(cardId);
      if (!card) return { kind: 'refused', message: 'This fleet card is no longer stored.' };
      // Self-approval needs the revision's author: read it now if the card's first try found none.
      if (action === 'approve' && !card.to.authorEmail)
        card = (await this.fleet.describeRevision(card, log)) ?? card;
      const decision = await this.decide(action, card, origin);
      if (!decision.allowed) {
        await this.audit(card, action, 'denied', origin.userId, decision.rule);
        return { kind: 'denied', rule: decision.rule, reason: decision.reason };
      }
      const applied = await this.fleet.apply(cardId, event);
      if (!applied.changed)
        return {
          kind: 'refused',
          message: capitalise(applied.refusal ?? 'nothing to do on this fleet card'),
        };
      await this.audit(applied.card ?? card, action, 'allowed', origin.userId);
      log.info({ cardId, action, state: applied.card?.state }, 'fleet action done');
      return { kind: 'done' };
    } catch (error) {
      if (error instanceof StoreUnavailableError)
        return { kind: 'try-again', reason: 'the state store is unreachable; nothing was done' };
      throw error;
    }
  }

  private async audit(
    card: FleetCard,
    action: FleetAction,
    outcome: 'allowed' | 'denied',
    user: string,
    rule?: string,
  ): Promise<void> {
    try {
      await this.ctx.store.appendAudit({
        at: this.ctx.now(),
        app: `fleet:${card.group}`,
        action: `fleet-${action}`,
        outcome,
        user,
        revision: card.revision,
        cardId: card.id,
        ...(rule ? { rule } : {}),
      });
    } catch (error) {
      this.ctx.logger.error(
        { err: error, cardId: card.id, action },
        'fleet audit entry could not be written',
      );
    }
  }
}

function capitalise(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}
