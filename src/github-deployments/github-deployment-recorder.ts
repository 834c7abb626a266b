/**
 * Records syncs as GitHub Deployments (per environment `githubDeployments`): a deployment for the synced
 * SHA when the sync starts, then in_progress → success / failure, inactive after a rollback. Every write
 * is claimed in the store first, so replicas and repeated transitions make each call once. Failures are
 * logged and never hold up the deploy.
 */

import type { CardRepository } from '../cards/card-repository.js';
import type { CardTransition } from '../cards/card-service.js';
import type { GitHubClient, RepoRef } from '../clients/github/github-client.js';
import type { SlackClient } from '../clients/slack/slack-client.js';
import type { Config } from '../config/load-config.js';
import { appLabel } from '../domain/app-label.js';
import type { Card } from '../domain/card.js';
import type { Logger } from '../logging/create-logger.js';
import { buildArgoAppUrl } from '../render/links.js';
import { KeyedQueue } from '../runtime/keyed-queue.js';
import { storeKeys } from '../store/keys.js';
import type { Store } from '../store/store.js';
import {
  deploymentStateFor,
  describeDeploymentStatus,
  githubEnvironmentName,
  isProductionDeployment,
  type RecordedState,
} from './deployment-status-for.js';

/** What this module needs from the composition root (a narrow port, not the app's bag). */
export interface DeploymentRecorderDeps {
  /** Base of Argo CD UI links of an instance (its `_UI_URL`, else its API URL). */
  argoUiUrl: (instance: string) => string;
  config: Config;
  github?: GitHubClient;
  logger: Logger;
  slack: SlackClient;
  store: Store;
}

const CLAIM_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const WAIT_POLLS = 50;
const WAIT_POLL_MS = 200;

interface LastDeployment {
  id: number;
  cardId: string;
}

export class GitHubDeploymentRecorder {
  private readonly queue: KeyedQueue;

  constructor(
    private readonly ctx: DeploymentRecorderDeps,
    private readonly repo: CardRepository,
  ) {
    this.queue = new KeyedQueue((error, cardId) =>
      ctx.logger.warn({ err: error, cardId }, 'GitHub deployment record failed; the deploy goes on'),
    );
  }

  private enabled(card: Card): card is Card & { repo: RepoRef } {
    return Boolean(
      this.ctx.github &&
        card.repo &&
        this.ctx.config.policy.environments[card.environment]?.githubDeployments,
    );
  }

  /** For the transition listener: work per card runs in order, off the caller's path. */
  onTransition({ before, after }: CardTransition): void {
    if (!this.enabled(after)) return;
    const state = deploymentStateFor(after);
    if (!state) return;
    // Info cards are born syncing (no transition into it): their first change also starts the record.
    const changed = before.state !== after.state || (state === 'in_progress' && !after.githubDeploymentId);
    if (!changed || (state === 'inactive' && !after.githubDeploymentId)) return;
    this.queue.push(after.id, () => this.record(after.id, state, before.state));
  }

  /**
   * `from` names the transition: a deploy that recovers (degraded → succeeded) posts success again, while a
   * repeat of the same transition posts nothing.
   */
  async record(cardId: string, state: RecordedState, from = ''): Promise<void> {
    const card = await this.repo.get(cardId);
    if (!card || !this.enabled(card)) return;
    const log = this.ctx.logger.child({ cardId, app: card.app.name, deploymentState: state });
    const id = await this.ensureDeployment(card, log);
    if (id === undefined) return;
    // A sync seen only once it ended still reads in_progress → final on GitHub; the claim skips a repeat.
    if (state === 'success' || state === 'failure')
      await this.postStatus(card, id, 'in_progress', 'start', log);
    await this.postStatus(card, id, state, state === 'in_progress' ? 'start' : from, log);
    if (state === 'success') await this.replacePrevious(card, id, log);
  }

  /** The card's deployment id: created here when this replica wins the claim, else waited for. */
  private async ensureDeployment(card: Card & { repo: RepoRef }, log: Logger): Promise<number | undefined> {
    if (card.githubDeploymentId) return card.githubDeploymentId;
    const claim = storeKeys.githubDeploymentClaim(card.id);
    if (!(await this.ctx.store.markSeen(claim, CLAIM_TTL_MS))) return this.waitForDeploymentId(card.id, log);
    let id: number;
    try {
      id = await this.ctx.github!.createDeployment(card.repo, {
        sha: card.revision,
        environment: githubEnvironmentName(card),
        production: isProductionDeployment(card),
        description: describeDeployment(card),
        payload: {
          app: card.app.name,
          instance: card.app.instance,
          namespace: card.app.namespace,
          project: card.app.project,
          environment: card.environment,
          cardId: card.id,
        },
      });
    } catch (error) {
      // Let a later transition try again rather than leaving a claim that nobody will honour.
      await this.ctx.store
        .unmarkSeen(claim)
        .catch((lost: unknown) => log.warn({ err: lost }, 'could not free the deployment claim; it expires'));
      log.warn({ err: error }, 'could not create the GitHub deployment');
      return undefined;
    }
    await this.repo.update(card.id, (c) =>
      c.githubDeploymentId ? undefined : { ...c, githubDeploymentId: id },
    );
    log.info({ deploymentId: id }, 'GitHub deployment created');
    return id;
  }

  private async waitForDeploymentId(cardId: string, log: Logger): Promise<number | undefined> {
    for (let poll = 0; poll < WAIT_POLLS; poll++) {
      const id = (await this.repo.get(cardId))?.githubDeploymentId;
      if (id) return id;
      await new Promise((r) => setTimeout(r, WAIT_POLL_MS).unref());
    }
    log.warn('another replica claimed the GitHub deployment but never stored its id');
    return undefined;
  }

  private async postStatus(
    card: Card & { repo: RepoRef },
    id: number,
    state: RecordedState,
    from: string,
    log: Logger,
  ) {
    const claim = storeKeys.githubDeploymentStatusClaim(card.id, state, from);
    if (!(await this.ctx.store.markSeen(claim, CLAIM_TTL_MS))) return;
    const fresh = (await this.repo.get(card.id)) ?? card;
    const permalink = fresh.ts ? await this.ctx.slack.permalink(fresh.channel, fresh.ts) : undefined;
    const appUrl = buildArgoAppUrl(this.ctx.argoUiUrl(card.app.instance), card.app);
    try {
      await this.ctx.github!.createDeploymentStatus(card.repo, id, {
        state,
        logUrl: permalink ?? appUrl,
        environmentUrl: appUrl,
        description: describeDeploymentStatus(fresh, state),
      });
      log.info({ deploymentId: id }, 'GitHub deployment status posted');
    } catch (error) {
      await this.ctx.store
        .unmarkSeen(claim)
        .catch((lost: unknown) => log.warn({ err: lost }, 'could not free the status claim; it expires'));
      log.warn({ err: error, deploymentId: id }, 'could not post the GitHub deployment status');
    }
  }

  /**
   * GitHub's auto_inactive skips production environments, so the deployment this one replaces is marked
   * inactive here (the app's environment is its own, see githubEnvironmentName).
   */
  private async replacePrevious(card: Card & { repo: RepoRef }, id: number, log: Logger): Promise<void> {
    const key = storeKeys.githubDeploymentLast(card.app);
    for (let attempt = 0; attempt < 5; attempt++) {
      const last = await this.ctx.store.get<LastDeployment>(key);
      if (last?.value.id === id) return;
      const written = await this.ctx.store.compareAndSet<LastDeployment>(
        key,
        { id, cardId: card.id },
        last?.version ?? 0,
        CLAIM_TTL_MS,
      );
      if (written === undefined) continue;
      if (last && isProductionDeployment(card)) {
        try {
          await this.ctx.github!.createDeploymentStatus(card.repo, last.value.id, {
            state: 'inactive',
            description: `Replaced by ${card.revision.slice(0, 7)}`,
          });
        } catch (error) {
          log.warn(
            { err: error, deploymentId: last.value.id },
            'could not mark the replaced deployment inactive',
          );
        }
      }
      return;
    }
  }

  async idle(): Promise<void> {
    await this.queue.idle();
  }
}

/** The Deployment's description (≤140 characters): a deploy through a freeze says who broke the glass and why. */
function describeDeployment(card: Card): string {
  const base = `deploybot: ${appLabel(card.app)} ${card.revision.slice(0, 7)} to ${card.environment}`;
  const glass = card.breakGlass?.[0];
  if (!glass) return base;
  const text = `${base}; break glass by ${glass.user}: ${glass.reason}`.replace(/\s+/g, ' ');
  return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}
