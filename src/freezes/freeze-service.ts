import type { Policy } from '../config/policy-schema.js';
import { parseFreezeCommand } from '../domain/freeze-command.js';
import { isFrozen, type SlackFreeze } from '../domain/freeze-window.js';
import { decideFreezeCommand, type GroupMembers } from '../domain/policy/index.js';
import { ANYONE, mergePrincipals } from '../domain/policy/principals.js';
import type { Logger } from '../logging/create-logger.js';
import type { SlackMessage } from '../render/block-kit.js';
import { renderDenial } from '../render/ephemeral.js';
import {
  type ListedFreeze,
  renderFreezeDone,
  renderFreezeEnded,
  renderFreezeList,
  renderFreezeStarted,
  renderFreezeUsage,
} from '../render/freeze-messages.js';
import { escapeMrkdwn, slackDate } from '../render/mrkdwn.js';
import type { Store } from '../store/store.js';
import { SlackFreezeStore } from './slack-freeze-store.js';

/** What `/deploy-freeze` needs: the store, Slack (announce, group members), the policy and the clock. */
export interface FreezeDeps {
  store: Store;
  slack: {
    postMessage(message: { channel: string; text: string; blocks?: unknown[] }): Promise<unknown>;
    groupMembers(groupId: string): Promise<string[]>;
  };
  policy: Policy;
  now: () => number;
  logger: Logger;
  /** Re-renders the open cards of environments whose freeze display changed. */
  showFreezeChanges(environments: readonly string[]): Promise<void>;
}

export interface FreezeRequest {
  user: string;
  text: string;
  /** From another workspace (Slack Connect), as the signed request says: "*" does not admit them. */
  external?: boolean;
}

/** Audit entries of a freeze name the environment where a card would name its app. */
const auditSubject = (environment: string) => `environment:${environment}`;

/**
 * `/deploy-freeze`: declares, ends and lists freezes. Authorization comes from the policy and Slack's
 * verified user only; every refusal is told and audited, and nothing is stored for it.
 */
export class FreezeService {
  private readonly freezes: SlackFreezeStore;

  constructor(private readonly deps: FreezeDeps) {
    this.freezes = new SlackFreezeStore(deps.store, deps.now);
  }

  async handle(request: FreezeRequest): Promise<SlackMessage> {
    const environments = Object.keys(this.deps.policy.environments);
    const command = parseFreezeCommand(request.text, environments);
    switch (command.kind) {
      case 'help':
        return renderFreezeUsage();
      case 'invalid':
        return renderFreezeUsage(command.problem);
      case 'list':
        return renderFreezeList(await this.listInForce());
      case 'freeze':
      case 'off': {
        const denied = await this.refusal(request, command.environment, command.kind);
        if (denied) return denied;
        return command.kind === 'freeze'
          ? this.freeze(request.user, command.environment, command.durationMs, command.reason)
          : this.end(request.user, command.environment);
      }
    }
  }

  private async listInForce(): Promise<ListedFreeze[]> {
    const now = this.deps.now();
    const listed: ListedFreeze[] = [];
    for (const [name, environment] of Object.entries(this.deps.policy.environments)) {
      const slack = await this.freezes.inForce(name);
      if (slack)
        listed.push({
          environment: name,
          reason: slack.reason,
          endsAt: slack.until,
          by: slack.user,
          source: 'slack',
        });
      const policy = isFrozen(environment.freezes, now);
      if (policy)
        listed.push({
          environment: name,
          reason: policy.freeze.reason,
          endsAt: policy.endsAt,
          source: 'policy',
        });
    }
    return listed;
  }

  private async refusal(
    request: FreezeRequest,
    environmentName: string,
    kind: 'freeze' | 'off',
  ): Promise<SlackMessage | undefined> {
    const environment = this.deps.policy.environments[environmentName]!;
    const groupMembers = await this.groupMembers(
      mergePrincipals(environment.approvers, environment.breakGlass),
      request.user,
      request.external === true,
    );
    const decision = decideFreezeCommand(
      { actor: { id: request.user, external: request.external === true }, environment, groupMembers },
      kind,
    );
    if (decision.allowed) return undefined;
    await this.audit(environmentName, {
      action: kind === 'freeze' ? 'freeze' : 'unfreeze',
      outcome: 'denied',
      user: request.user,
      rule: decision.rule,
      detail: `${request.text.trim()}`.slice(0, 500),
    });
    return renderDenial(decision.reason);
  }

  private async freeze(
    user: string,
    environment: string,
    durationMs: number,
    reason: string,
  ): Promise<SlackMessage> {
    const now = this.deps.now();
    const freeze: SlackFreeze = { environment, reason, user, from: now, until: now + durationMs };
    await this.freezes.put(freeze);
    await this.audit(environment, {
      action: 'freeze',
      outcome: 'allowed',
      user,
      detail: `until ${new Date(freeze.until).toISOString()}: ${reason}`,
    });
    await this.announce(
      environment,
      renderFreezeStarted({ environment, user, reason, until: freeze.until, durationMs }),
    );
    await this.showChange(environment);
    return renderFreezeDone(
      `*${escapeMrkdwn(environment)}* is frozen until ${slackDate(freeze.until)}. Its channel was told; pending cards show the freeze.`,
    );
  }

  private async end(user: string, environment: string): Promise<SlackMessage> {
    const ended = await this.freezes.end(environment);
    if (!ended) {
      const policy = isFrozen(this.deps.policy.environments[environment]?.freezes ?? [], this.deps.now());
      const window = policy
        ? ` A window of deploybot.yaml (${escapeMrkdwn(policy.freeze.reason)}) is in force until ${slackDate(policy.endsAt)}; it can only be changed in the policy file.`
        : '';
      return renderFreezeDone(`There is no Slack freeze of *${escapeMrkdwn(environment)}* to end.${window}`);
    }
    await this.audit(environment, { action: 'unfreeze', outcome: 'allowed', user, detail: ended.reason });
    await this.announce(environment, renderFreezeEnded({ environment, user, reason: ended.reason }));
    await this.showChange(environment);
    return renderFreezeDone(`The *${escapeMrkdwn(environment)}* freeze is over; approvals are open again.`);
  }

  private async groupMembers(
    principals: { users: readonly string[]; groups: readonly string[] },
    user: string,
    external: boolean,
  ): Promise<GroupMembers> {
    if (principals.users.includes(user) || (!external && principals.users.includes(ANYONE))) return {};
    const entries = await Promise.all(
      [...new Set(principals.groups)].map(async (group) => {
        try {
          return [group, await this.deps.slack.groupMembers(group)] as const;
        } catch (error) {
          this.deps.logger.warn(
            { err: error, group },
            'could not list user group members; treating the group as empty',
          );
          return undefined;
        }
      }),
    );
    return Object.fromEntries(entries.filter((e) => e !== undefined));
  }

  /** In the environment's channel (or channels.deploys); best effort, the freeze holds either way. */
  private async announce(environment: string, message: SlackMessage): Promise<void> {
    const channel = this.deps.policy.environments[environment]?.channel ?? this.deps.policy.channels.deploys;
    if (!channel) return;
    try {
      await this.deps.slack.postMessage({ channel, ...message });
    } catch (error) {
      this.deps.logger.warn({ err: error, environment }, 'could not announce the freeze in its channel');
    }
  }

  private async showChange(environment: string): Promise<void> {
    try {
      await this.deps.showFreezeChanges([environment]);
    } catch (error) {
      this.deps.logger.warn(
        { err: error, environment },
        'could not re-render the cards for the freeze; the reconciler will',
      );
    }
  }

  private async audit(
    environment: string,
    entry: { action: string; outcome: string; user: string; rule?: string; detail?: string },
  ): Promise<void> {
    try {
      await this.deps.store.appendAudit({ at: this.deps.now(), app: auditSubject(environment), ...entry });
    } catch (error) {
      this.deps.logger.error(
        { err: error, environment, action: entry.action },
        'audit entry could not be written',
      );
    }
  }
}
