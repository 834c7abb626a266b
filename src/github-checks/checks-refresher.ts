/**
 * CI finished or changed for a commit: re-read its checks from GitHub and put them on every active card
 * that deploys that commit. A change of state adds a thread note; the policy reads `card.checks` at click
 * time, so `requireGreenChecks` follows without anything else to do.
 */

import type { CardService } from '../cards/card-service.js';
import type { GitHubClient } from '../clients/github/github-client.js';
import type { ChecksSummary } from '../domain/card.js';
import { ACTIVE_OPERATION_STATES, TERMINAL_STATES } from '../domain/card.js';
import type { Logger } from '../logging/create-logger.js';
import { Coalescer } from '../runtime/coalescer.js';
import { findCardsOfRevision } from './cards-for-revision.js';

/** What this module needs from the composition root (a narrow port, not the app's bag). */
export interface ChecksRefresherDeps {
  github?: GitHubClient;
  logger: Logger;
}

function sameChecks(a: ChecksSummary, b: ChecksSummary): boolean {
  return (
    a.state === b.state &&
    a.total === b.total &&
    a.failing.join('\n') === b.failing.join('\n') &&
    a.pendingNames.join('\n') === b.pendingNames.join('\n') &&
    // requiredChecks are decided on the names that passed, so a change there alone matters too.
    (a.passing ?? []).join('\n') === (b.passing ?? []).join('\n')
  );
}

export class ChecksRefresher {
  private readonly coalescer: Coalescer;

  constructor(
    private readonly ctx: ChecksRefresherDeps,
    private readonly cards: CardService,
  ) {
    this.coalescer = new Coalescer((error, key) =>
      ctx.logger.warn({ err: error, commit: key }, 'could not refresh the checks of a commit'),
    );
  }

  /** Resolves when this commit's refresh (and any folded into it) has run. */
  request(repoFullName: string, sha: string, log: Logger = this.ctx.logger): Promise<void> {
    return this.coalescer.request(`${repoFullName.toLowerCase()}@${sha}`, async () => {
      await this.refresh(repoFullName, sha, log);
    });
  }

  /** Returns how many cards changed. */
  async refresh(repoFullName: string, sha: string, log: Logger = this.ctx.logger): Promise<number> {
    const github = this.ctx.github;
    if (!github) return 0;
    const targets = await findCardsOfRevision(
      this.cards.repo,
      repoFullName,
      sha,
      (card) =>
        card.revision === sha && !TERMINAL_STATES.has(card.state) && !ACTIVE_OPERATION_STATES.has(card.state),
    );
    if (targets.length === 0) return 0;
    const [owner = '', name = ''] = repoFullName.split('/');
    const checks = await github.checks({ owner, name }, sha);
    let changed = 0;
    for (const target of targets) {
      let before: ChecksSummary | undefined;
      const updated = await this.cards.change(target.id, (card) => {
        before = card.checks;
        return sameChecks(card.checks, checks)
          ? undefined
          : { ...card, checks: { ...checks, url: card.checks.url } };
      });
      if (!updated || !before || sameChecks(before, checks)) continue;
      changed++;
      log.info({ cardId: target.id, from: before.state, to: checks.state }, 'card checks refreshed');
      if (before.state !== checks.state) this.cards.note(target.id, { type: 'checks-changed', checks });
    }
    return changed;
  }

  idle(): Promise<void> {
    return this.coalescer.idle();
  }
}
