import type { AppContext } from '../app/context.js';
import { ArgoCdError } from '../clients/argocd/argocd-error.js';
import type { Card } from '../domain/card.js';
import { type Decision, decide, type PolicyAction, type PolicyInput } from '../domain/policy/index.js';
import { StoreUnavailableError } from '../store/store.js';
import type { CardService } from '../workers/card-service.js';
import { toAppSnapshot } from '../workers/to-app-snapshot.js';
import type { ActionOutcome } from './action-outcome.js';
import { audit } from './audit.js';
import { describeArgoRefusal } from './describe-argo-refusal.js';
import type { OperationFollower } from './operation-follower.js';
import { buildPolicyInput } from './resolve-policy-input.js';
import type { OpenRevertPullRequest } from './revert-port.js';

const APP_LOCK_TTL_MS = 60_000;

/** Where the click came from: the message it was on must be the stored card's own message. */
export interface ClickOrigin {
  userId: string;
  channel?: string;
  messageTs?: string;
}

type Guarded = { card: Card; input: PolicyInput } | { outcome: ActionOutcome };

/**
 * Every button goes through here: the decision is taken from the stored card and the policy, never
 * from what the click carried, and each write is a version-checked change so concurrent clicks on
 * any number of replicas cannot run a deploy twice.
 */
export class ActionService {
  constructor(
    private readonly ctx: AppContext,
    private readonly cards: CardService,
    private readonly follower: OperationFollower,
    private readonly openRevert?: OpenRevertPullRequest,
  ) {}

  private async guard(action: PolicyAction, cardId: string, origin: ClickOrigin): Promise<Guarded> {
    const card = await this.cards.repo.get(cardId);
    if (!card)
      return {
        outcome: { kind: 'denied', rule: 'unknown-card', reason: 'This card is not known to deploybot.' },
      };
    if (
      (origin.messageTs && card.ts && origin.messageTs !== card.ts) ||
      (origin.channel && origin.channel !== card.channel)
    ) {
      return this.deny(card, origin.userId, action, {
        allowed: false,
        rule: 'not-approver',
        reason: 'This button does not belong to the card it was pressed on.',
      });
    }
    const input = await buildPolicyInput(this.ctx, this.cards.repo, action, card, origin.userId);
    if (!input) {
      return this.deny(card, origin.userId, action, {
        allowed: false,
        rule: 'no-approvers',
        reason: `The environment "${card.environment}" is no longer in the policy file.`,
      });
    }
    const decision = decide(input);
    if (!decision.allowed) return this.deny(card, origin.userId, action, decision);
    return { card, input };
  }

  private async deny(
    card: Card,
    userId: string,
    action: string,
    decision: Decision & { allowed: false },
  ): Promise<{ outcome: ActionOutcome }> {
    await audit(this.ctx, card, {
      action,
      outcome: 'denied',
      user: userId,
      rule: decision.rule,
      detail: decision.reason,
    });
    this.cards.note(card.id, { type: 'denied', user: userId, action, reason: decision.reason });
    return { outcome: { kind: 'denied', rule: decision.rule, reason: decision.reason } };
  }

  /** Runs an action, turning a store outage into "try again" (fail closed: nothing runs later). */
  private async safely(action: string, run: () => Promise<ActionOutcome>): Promise<ActionOutcome> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof StoreUnavailableError)
        return { kind: 'try-again', reason: 'the state store is unreachable' };
      this.ctx.logger.error({ err: error, action }, 'action failed');
      return {
        kind: 'refused',
        message: 'deploybot hit an internal error; nothing was changed. Please try again.',
      };
    }
  }

  approve(cardId: string, origin: ClickOrigin): Promise<ActionOutcome> {
    return this.safely('approve', async () => {
      const guarded = await this.guard('approve', cardId, origin);
      if ('outcome' in guarded) return guarded.outcome;
      let decision: Decision | undefined;
      // Re-decide against the latest stored card inside the version-checked write: concurrent clicks see each other.
      const updated = await this.cards.change(cardId, (card) => {
        decision = decide({ ...guarded.input, card, now: this.ctx.now() });
        if (!decision.allowed) return undefined;
        const approvals = [...card.approvals, { user: origin.userId, at: this.ctx.now() }];
        return { ...card, approvals, state: 'approved', notice: undefined };
      });
      if (!decision || !updated) return { kind: 'refused', message: 'The card could not be updated.' };
      if (!decision.allowed)
        return (await this.deny(guarded.card, origin.userId, 'approve', decision)).outcome;
      await audit(this.ctx, updated, { action: 'approve', outcome: 'allowed', user: origin.userId });
      this.cards.note(cardId, {
        type: 'approved',
        user: origin.userId,
        approvals: updated.approvals.length,
        required: Math.max(1, updated.requiredApprovals),
      });
      if (decision.thresholdReached) return this.startSync(cardId, false);
      return {
        kind: 'done',
        message: `Approval recorded (${updated.approvals.length} of ${updated.requiredApprovals}).`,
      };
    });
  }

  retry(cardId: string, origin: ClickOrigin): Promise<ActionOutcome> {
    return this.safely('retry', async () => {
      const guarded = await this.guard('retry', cardId, origin);
      if ('outcome' in guarded) return guarded.outcome;
      await audit(this.ctx, guarded.card, { action: 'retry', outcome: 'allowed', user: origin.userId });
      const moved = await this.cards.change(cardId, (card) =>
        card.state === 'failed' ? { ...card, state: 'approved' } : undefined,
      );
      if (moved?.state !== 'approved')
        return { kind: 'refused', message: 'The card is no longer waiting for a retry.' };
      return this.startSync(cardId, true);
    });
  }

  /**
   * Exactly once: the per-app lock keeps replicas apart, the approved → syncing change admits one
   * caller, and Argo CD is re-read to confirm the target is still this card's revision.
   */
  private async startSync(cardId: string, retry: boolean): Promise<ActionOutcome> {
    const card = await this.cards.repo.get(cardId);
    if (!card) return { kind: 'refused', message: 'The card disappeared.' };
    const lockKey = `app:${card.app.namespace}/${card.app.name}`;
    const token = await this.ctx.store.acquireLock(lockKey, APP_LOCK_TTL_MS);
    if (!token) return { kind: 'done', message: 'Another deploybot action on this app is in progress.' };
    try {
      let app: Awaited<ReturnType<AppContext['argocd']['getApplication']>>;
      try {
        app = await this.ctx.argocd.getApplication(card.app);
      } catch (error) {
        return this.refuse(cardId, 'sync', describeArgoRefusal(error));
      }
      const snap = toAppSnapshot(app, card.app);
      if (snap.targetRevision !== card.revision) {
        return this.refuse(
          cardId,
          'sync',
          `Argo CD now targets ${snap.targetRevision?.slice(0, 7) ?? 'another revision'}, not ${card.revision.slice(0, 7)}; this card can no longer deploy.`,
        );
      }
      const started = await this.cards.change(cardId, (c) =>
        c.state === 'approved'
          ? {
              ...c,
              state: 'syncing',
              notice: undefined,
              operation: {
                phase: 'Running',
                startedAt: new Date(this.ctx.now()).toISOString(),
                revision: c.revision,
              },
              ignoreOperationStartedAt: snap.operation?.startedAt,
            }
          : undefined,
      );
      if (started?.state !== 'syncing' || started.operation?.startedAt === undefined) {
        return { kind: 'done', message: 'The sync is already under way.' };
      }
      const approvers = started.approvals.map((a) => a.user);
      try {
        await this.ctx.argocd.sync(card.app, {
          revision: card.revision,
          infos: [
            { name: 'Approved in Slack by', value: approvers.join(', ') || 'n/a' },
            { name: 'deploybot card', value: card.id },
          ],
        });
      } catch (error) {
        if (!(error instanceof ArgoCdError) || !error.ambiguous)
          return this.refuse(cardId, 'sync', describeArgoRefusal(error), true);
        // The request may have landed: look before saying anything, and never send it again blindly.
        const landed = await this.syncLanded(card);
        if (!landed) return this.refuse(cardId, 'sync', describeArgoRefusal(error), true);
      }
      await audit(this.ctx, card, {
        action: 'sync-started',
        outcome: 'started',
        user: approvers.join(','),
        detail: card.revision,
      });
      this.cards.note(cardId, { type: 'sync-started', revision: card.revision, approvers, retry });
      void this.follower.follow(cardId);
      return { kind: 'done', message: `Sync of ${card.revision.slice(0, 7)} started.` };
    } finally {
      await this.ctx.store.releaseLock(lockKey, token).catch(() => {});
    }
  }

  private async syncLanded(card: Card): Promise<boolean> {
    try {
      const app = await this.ctx.argocd.getApplication(card.app);
      const snap = toAppSnapshot(app, card.app);
      return (
        snap.operationRunning ||
        (snap.operation?.revision === card.revision &&
          snap.operation.startedAt !== card.ignoreOperationStartedAt)
      );
    } catch {
      return false;
    }
  }

  /** Argo CD (or the state of the app) refused: the card says so in plain words and stays actionable. */
  private async refuse(
    cardId: string,
    action: string,
    message: string,
    failed = false,
  ): Promise<ActionOutcome> {
    const card = await this.cards.change(cardId, (c) => ({
      ...c,
      notice: message,
      ...(failed && c.state === 'syncing'
        ? { state: 'failed' as const, operation: { ...c.operation, phase: 'Failed' as const, message } }
        : {}),
    }));
    if (card) {
      await audit(this.ctx, card, { action, outcome: 'refused', detail: message });
      this.cards.note(cardId, { type: 'refused', action, message });
    }
    return { kind: 'refused', message };
  }

  reject(cardId: string, origin: ClickOrigin, reason: string): Promise<ActionOutcome> {
    return this.safely('reject', async () => {
      const guarded = await this.guard('reject', cardId, origin);
      if ('outcome' in guarded) return guarded.outcome;
      const updated = await this.cards.change(cardId, (card) =>
        card.state === 'pending' || card.state === 'approved'
          ? { ...card, state: 'rejected', rejection: { user: origin.userId, reason, at: this.ctx.now() } }
          : undefined,
      );
      if (updated?.state !== 'rejected' || updated.rejection?.user !== origin.userId)
        return { kind: 'refused', message: 'The card is no longer waiting for a decision.' };
      await audit(this.ctx, updated, {
        action: 'reject',
        outcome: 'allowed',
        user: origin.userId,
        detail: reason,
      });
      this.cards.note(cardId, { type: 'rejected', user: origin.userId, reason });
      return { kind: 'done' };
    });
  }

  /** Checks that a user may reject, without changing anything (the modal opens before this runs). */
  async mayReject(cardId: string, origin: ClickOrigin): Promise<ActionOutcome> {
    return this.safely('reject', async () => {
      const guarded = await this.guard('reject', cardId, origin);
      return 'outcome' in guarded ? guarded.outcome : { kind: 'done' };
    });
  }

  rollback(cardId: string, origin: ClickOrigin): Promise<ActionOutcome> {
    return this.safely('rollback', async () => {
      const guarded = await this.guard('rollback', cardId, origin);
      if ('outcome' in guarded) return guarded.outcome;
      const { card } = guarded;
      const historyId = card.previousHistoryId;
      if (historyId === undefined)
        return { kind: 'refused', message: 'There is no earlier deployment to roll back to.' };
      const lockKey = `app:${card.app.namespace}/${card.app.name}`;
      const token = await this.ctx.store.acquireLock(lockKey, APP_LOCK_TTL_MS);
      if (!token) return { kind: 'done', message: 'Another deploybot action on this app is in progress.' };
      try {
        let lastStartedAt: string | undefined;
        try {
          lastStartedAt = toAppSnapshot(await this.ctx.argocd.getApplication(card.app), card.app).operation
            ?.startedAt;
        } catch (error) {
          return this.refuse(cardId, 'rollback', describeArgoRefusal(error));
        }
        const moved = await this.cards.change(cardId, (c) =>
          c.state === 'succeeded' || c.state === 'degraded'
            ? {
                ...c,
                state: 'rolling-back',
                notice: undefined,
                ignoreOperationStartedAt: lastStartedAt,
                rollback: { user: origin.userId, at: this.ctx.now(), historyId, revision: c.from?.sha },
              }
            : undefined,
        );
        if (moved?.state !== 'rolling-back' || moved.rollback?.user !== origin.userId)
          return { kind: 'done', message: 'A rollback is already under way.' };
        try {
          await this.ctx.argocd.rollback(card.app, historyId);
        } catch (error) {
          const restored = await this.cards.change(cardId, (c) =>
            c.state === 'rolling-back'
              ? { ...c, state: card.state, rollback: undefined, notice: describeArgoRefusal(error) }
              : undefined,
          );
          if (restored)
            this.cards.note(cardId, {
              type: 'refused',
              action: 'rollback',
              message: describeArgoRefusal(error),
            });
          await audit(this.ctx, card, {
            action: 'rollback',
            outcome: 'refused',
            user: origin.userId,
            detail: describeArgoRefusal(error),
          });
          return { kind: 'refused', message: describeArgoRefusal(error) };
        }
        await audit(this.ctx, card, {
          action: 'rollback',
          outcome: 'started',
          user: origin.userId,
          detail: `history ${historyId}`,
        });
        this.cards.note(cardId, {
          type: 'rollback-started',
          user: origin.userId,
          revision: card.from?.sha,
          historyId,
        });
        void this.follower.follow(cardId);
        return { kind: 'done', message: 'Rollback started.' };
      } finally {
        await this.ctx.store.releaseLock(lockKey, token).catch(() => {});
      }
    });
  }

  abort(cardId: string, origin: ClickOrigin): Promise<ActionOutcome> {
    return this.safely('abort', async () => {
      const guarded = await this.guard('abort', cardId, origin);
      if ('outcome' in guarded) return guarded.outcome;
      try {
        await this.ctx.argocd.terminateOperation(guarded.card.app);
      } catch (error) {
        return this.refuse(cardId, 'abort', describeArgoRefusal(error));
      }
      await audit(this.ctx, guarded.card, { action: 'abort', outcome: 'started', user: origin.userId });
      this.cards.note(cardId, { type: 'aborted', user: origin.userId });
      void this.follower.follow(cardId);
      return { kind: 'done', message: 'Termination requested.' };
    });
  }

  revertInGit(cardId: string, origin: ClickOrigin): Promise<ActionOutcome> {
    return this.safely('revert-in-git', async () => {
      const guarded = await this.guard('revert-in-git', cardId, origin);
      if ('outcome' in guarded) return guarded.outcome;
      const { card } = guarded;
      if (!this.openRevert || !card.repo || !card.source.path || !card.from?.sha) {
        return this.refuse(
          cardId,
          'revert-in-git',
          'Revert in Git needs GitHub access (GITHUB_TOKEN), the app repository and its path.',
        );
      }
      const claimed = await this.cards.change(cardId, (c) =>
        c.revertPr ? undefined : { ...c, revertPr: { url: '', number: 0, user: origin.userId } },
      );
      if (!claimed || claimed.revertPr?.user !== origin.userId || claimed.revertPr.number !== 0)
        return { kind: 'done', message: 'A revert pull request already exists for this card.' };
      this.cards.note(cardId, { type: 'revert-started', user: origin.userId });
      try {
        const pr = await this.openRevert({
          repo: card.repo,
          branch: card.source.targetRevision,
          path: card.source.path,
          toRevision: card.from.sha,
          fromRevision: card.revision,
          app: card.app.name,
          requestedBy: origin.userId,
        });
        await this.cards.change(cardId, (c) => ({
          ...c,
          revertPr: { url: pr.url, number: pr.number, user: origin.userId },
        }));
        await audit(this.ctx, card, {
          action: 'revert-in-git',
          outcome: 'started',
          user: origin.userId,
          detail: pr.url,
        });
        this.cards.note(cardId, {
          type: 'revert-finished',
          user: origin.userId,
          pr: { url: pr.url, number: pr.number },
        });
        return { kind: 'done', message: `Revert pull request #${pr.number} opened.` };
      } catch (error) {
        const message = (error as Error).message ?? 'GitHub refused';
        await this.cards.change(cardId, (c) => ({
          ...c,
          revertPr: undefined,
          notice: `Revert in Git failed: ${message}`,
        }));
        await audit(this.ctx, card, {
          action: 'revert-in-git',
          outcome: 'failed',
          user: origin.userId,
          detail: message,
        });
        this.cards.note(cardId, { type: 'revert-finished', user: origin.userId, error: message });
        return { kind: 'refused', message: `Revert in Git failed: ${message}` };
      }
    });
  }
}
