/**
 * "Is my change out?" answered before it is asked: after a deploy succeeds in an environment with
 * `notifyAuthors`, each Slack user who authored a commit in it gets one DM (all their commits in one
 * message). Once per (user, card): the DM is claimed with SET NX in the store before it is sent, so
 * replicas, re-sent notifications and restarts never send it twice (a send that fails after the claim is
 * retried a little, then lost, never doubled). Bots, unmapped authors and opted-out users get nothing.
 */

import type { SlackMessageContent, SlackUserSummary } from '../clients/slack/slack-client.js';
import { SlackRateLimitedError } from '../clients/slack/slack-client.js';
import type { Policy } from '../config/policy-schema.js';
import { appLabel } from '../domain/app-label.js';
import type { Card, CommitInfo } from '../domain/card.js';
import type { CardChange } from '../domain/deploy-record.js';
import type { Logger } from '../logging/create-logger.js';
import { renderAuthorDm } from '../render/author-dm.js';
import { buildCommitUrl } from '../render/links.js';
import { storeKeys } from '../store/keys.js';
import type { Store } from '../store/store.js';
import { DEPLOY_RECORD_RETENTION_MS } from './deploy-records.js';
import type { NotifyPreferences } from './notify-preferences.js';

/** Authors told about one deploy at most; a change with more is a merge of many teams' work. */
const MAX_AUTHORS_PER_DEPLOY = 50;
const SEND_ATTEMPTS = 3;

export interface AuthorNotifierDeps {
  policy: Pick<Policy, 'environments' | 'people'>;
  slack: {
    postMessage(input: SlackMessageContent & { channel: string }): Promise<{ channel: string; ts: string }>;
    permalink(channel: string, ts: string): Promise<string | undefined>;
    userByEmail(email: string): Promise<SlackUserSummary | undefined>;
    openDirectMessage(userId: string): Promise<string>;
  };
  store: Pick<Store, 'markSeen'>;
  preferences: Pick<NotifyPreferences, 'isOptedOut'>;
  logger: Logger;
  /** Base of commit links (`https://github.com`), when the card names a repository. */
  githubWebUrl?: string;
}

/** A deploy reached `succeeded` (Healthy) just now; a failed rollback that leaves it there is no news. */
function isFreshSuccess({ before, after }: CardChange): boolean {
  return after.state === 'succeeded' && before.state !== 'succeeded' && before.state !== 'rolling-back';
}

/** A GitHub App or bot account (`dependabot[bot]`, `renovate[bot]`, `github-actions[bot]`). */
function isBotCommit(commit: CommitInfo): boolean {
  return Boolean(
    commit.authorLogin?.toLowerCase().endsWith('[bot]') ||
      commit.authorEmail?.toLowerCase().includes('[bot]@'),
  );
}

export class AuthorNotifier {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly deps: AuthorNotifierDeps) {}

  /** For the transition listener: never throws; shutdown waits for the work. */
  onTransition(change: CardChange): void {
    if (!isFreshSuccess(change)) return;
    if (!this.deps.policy.environments[change.after.environment]?.notifyAuthors) return;
    const work = this.notify(change.after).catch((error: unknown) =>
      this.deps.logger.error({ err: error, cardId: change.after.id }, 'author DMs failed'),
    );
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  /** Sends the DMs of one deploy; returns the users that got one now. */
  async notify(card: Card): Promise<string[]> {
    const log = this.deps.logger.child({ cardId: card.id, app: card.app.name });
    // One pass per deploy: who opted out, or in, after it shipped does not make it news again.
    if (!(await this.deps.store.markSeen(storeKeys.authorDmPass(card.id), DEPLOY_RECORD_RETENTION_MS)))
      return [];
    const byUser = await this.commitsByUser(card, log);
    if (byUser.size === 0) return [];
    const permalink = card.ts ? await this.deps.slack.permalink(card.channel, card.ts) : undefined;
    const approvedBy = [...new Set(card.approvals.map((a) => a.user))];
    const sent: string[] = [];
    for (const [user, commits] of [...byUser].slice(0, MAX_AUTHORS_PER_DEPLOY)) {
      if (await this.deps.preferences.isOptedOut(user)) continue;
      if (!(await this.deps.store.markSeen(storeKeys.authorDm(card.id, user), DEPLOY_RECORD_RETENTION_MS)))
        continue;
      const message = renderAuthorDm({
        app: appLabel(card.app),
        environment: card.environment,
        commits: commits.map((c) => ({
          sha: c.sha,
          subject: c.subject,
          url: c.url ?? buildCommitUrl(this.deps.githubWebUrl, card.repo, c.sha),
        })),
        approvedBy,
        cardPermalink: permalink,
      });
      if (await this.send(user, message, log)) sent.push(user);
    }
    if (sent.length > 0) log.info({ users: sent.length }, 'authors told their change is live');
    return sent;
  }

  /** Each commit's author as a Slack user: the policy's `people`, else users.lookupByEmail (no bots). */
  private async commitsByUser(card: Card, log: Logger): Promise<Map<string, CommitInfo[]>> {
    const mapped = new Map<string, string>();
    for (const person of this.deps.policy.people) {
      mapped.set(person.github.toLowerCase(), person.slack);
      for (const email of [person.email, ...(person.emails ?? [])])
        if (email) mapped.set(email.toLowerCase(), person.slack);
    }
    const byUser = new Map<string, CommitInfo[]>();
    for (const commit of card.changelog.commits) {
      if (isBotCommit(commit)) continue;
      const login = commit.authorLogin?.toLowerCase();
      const email = commit.authorEmail?.toLowerCase();
      let user = (login && mapped.get(login)) || (email && mapped.get(email)) || undefined;
      if (!user && email && !email.endsWith('@users.noreply.github.com')) {
        try {
          const found = await this.deps.slack.userByEmail(email);
          if (found && !found.isBot && !found.deleted) user = found.id;
        } catch (error) {
          log.debug({ err: error }, 'users.lookupByEmail failed; that author gets no DM');
        }
      }
      if (!user || user === '*') continue;
      byUser.set(user, [...(byUser.get(user) ?? []), commit]);
    }
    return byUser;
  }

  private async send(user: string, message: SlackMessageContent, log: Logger): Promise<boolean> {
    for (let attempt = 1; attempt <= SEND_ATTEMPTS; attempt++) {
      try {
        const channel = await this.deps.slack.openDirectMessage(user);
        await this.deps.slack.postMessage({ channel, ...message });
        return true;
      } catch (error) {
        log.warn({ err: error, user, attempt }, 'author DM could not be sent');
        const waitMs = error instanceof SlackRateLimitedError ? error.retryAfterSec * 1000 : 500 * attempt;
        if (attempt < SEND_ATTEMPTS)
          await new Promise((r) => setTimeout(r, Math.min(waitMs, 10_000)).unref());
      }
    }
    return false;
  }

  async idle(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
