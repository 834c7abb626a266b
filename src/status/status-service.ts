/**
 * Answers `/deploy-status` and its **Next** button. Reads only: one Argo CD list call, store reads with
 * bounded concurrency, and per-app Argo CD calls only for small answers. Never throws: every failure
 * becomes a message the user can act on.
 */

import type { CardRepository } from '../cards/card-repository.js';
import { githubWebUrl } from '../cards/render-card.js';
import type { ArgoCdClient } from '../clients/argocd/argocd-client.js';
import type { SlackClient } from '../clients/slack/slack-client.js';
import type { Config } from '../config/load-config.js';
import { appLabel } from '../domain/app-label.js';
import { DEFAULT_INSTANCE } from '../domain/card.js';
import { isFrozen } from '../domain/freeze-window.js';
import { countByEnvironment, type StatusRow } from '../domain/status-row.js';
import type { Logger } from '../logging/create-logger.js';
import type { SlackMessage } from '../render/block-kit.js';
import { type ActiveFreezeView, renderStatusAnswer, STATUS_PAGE_SIZE } from '../render/status-answer.js';
import { renderStatusAudit, renderStatusAuditDenied } from '../render/status-audit.js';
import { renderStatusHelp } from '../render/status-help.js';
import { renderStatusRateLimited, renderStatusUnavailable } from '../render/status-notice.js';
import { renderNotifySetting } from '../render/status-notify.js';
import type { Store } from '../store/store.js';
import { AnswerCache } from './answer-cache.js';
import { answerStats, type StatsDeps } from './answer-stats.js';
import { resolveAskerIdentity } from './asker-identity.js';
import { checkAuditAccess } from './audit-access.js';
import { type CollectedRows, collectStatusRows } from './collect-status-rows.js';
import { detailRows } from './detail-rows.js';
import { decodePageCursor, encodePageCursor } from './page-cursor.js';
import { PermalinkCache } from './permalink-cache.js';
import { parseStatusQuery, type StatusQuery, statusQueryKey } from './status-query.js';
import { UserRateLimit } from './user-rate-limit.js';

/** What this module needs from the composition root (a narrow port, not the app's bag). */
export interface StatusDeps {
  /** Base of Argo CD UI links of an instance (its `_UI_URL`, else its API URL). */
  argoUiUrl: (instance: string) => string;
  argocd: ArgoCdClient;
  config: Config;
  logger: Logger;
  now: () => number;
  slack: SlackClient;
  store: Store;
}

export interface StatusServiceOptions {
  /** Answers per user per minute. */
  rateLimit?: number;
  /** A repeated identical command within this window reuses the rows. */
  repeatCacheMs?: number;
  /** A Next click reuses the rows of its first page within this window, so pages stay consistent. */
  pagingCacheMs?: number;
  /** Per-app Argo CD calls (subjects, sync windows) only when the answer has at most this many apps. */
  detailLimit?: number;
  concurrency?: number;
}

const AUDIT_LIMIT = 20;
/** Refusal lines under the decisions: each already collapses every repeat of one person on one card. */
const AUDIT_DENIAL_LIMIT = 10;
type ListQuery = Extract<StatusQuery, { kind: 'list' }>;

/** What `stats` and `notify` need: the deploy records and the author-DM opt-outs (issue 18). */
export interface DeliveryStatusDeps {
  records: StatsDeps['records'];
  notify: { setNotify(user: string, on: boolean): Promise<void> };
}

export class StatusService {
  private readonly cache: AnswerCache<CollectedRows>;
  private readonly permalinks: PermalinkCache;
  private readonly rate: UserRateLimit;
  private readonly options: Required<StatusServiceOptions>;

  constructor(
    private readonly ctx: StatusDeps,
    private readonly repo: CardRepository,
    options: StatusServiceOptions = {},
    private readonly delivery?: DeliveryStatusDeps,
  ) {
    this.options = {
      rateLimit: options.rateLimit ?? 10,
      repeatCacheMs: options.repeatCacheMs ?? 5000,
      pagingCacheMs: options.pagingCacheMs ?? 120_000,
      detailLimit: options.detailLimit ?? 10,
      concurrency: options.concurrency ?? 16,
    };
    this.cache = new AnswerCache(ctx.now);
    this.permalinks = new PermalinkCache(ctx.slack);
    this.rate = new UserRateLimit(ctx.store, {
      limit: this.options.rateLimit,
      windowMs: 60_000,
      now: ctx.now,
      logger: ctx.logger,
    });
  }

  /** The slash command: `text` is everything after `/deploy-status`. */
  async answerCommand({ user, text }: { user: string; text: string }): Promise<SlackMessage> {
    const query = parseStatusQuery(text);
    if (query.kind === 'help') return renderStatusHelp(query.problem);
    const unknown = this.unknownInstance(query);
    if (unknown) return renderStatusHelp(unknown);
    return this.guarded(user, () => {
      if (query.kind === 'audit') return this.answerAudit(user, query.app, query.instance);
      if (query.kind === 'stats') return this.answerStats(query);
      if (query.kind === 'notify') return this.answerNotify(user, query.on);
      return this.answerList(user, query, 0, this.options.repeatCacheMs);
    });
  }

  /** A Next click: the value carries only the query and where the page starts, and grants nothing. */
  async answerNextPage({ user, value }: { user: string; value: string | undefined }): Promise<SlackMessage> {
    const cursor = decodePageCursor(value);
    if (!cursor) return renderStatusHelp('That button is out of date; run `/deploy-status` again.');
    const query = parseStatusQuery(cursor.query);
    if (query.kind !== 'list') return renderStatusHelp();
    const key = statusQueryKey(query, user);
    // Rows already computed for this query cost nothing: only a recomputation counts against the limit.
    if (this.cache.has(key, this.options.pagingCacheMs))
      return this.safely(() => this.answerList(user, query, cursor.offset, this.options.pagingCacheMs));
    return this.guarded(user, () => this.answerList(user, query, cursor.offset, this.options.pagingCacheMs));
  }

  private get instances(): string[] {
    return this.ctx.config.argocd.map((i) => i.name);
  }

  /** A query naming an instance this deploybot does not have is answered with the ones it has. */
  private unknownInstance(query: StatusQuery): string | undefined {
    const instance =
      query.kind === 'audit' ? query.instance : query.kind === 'list' ? query.filter.instance : undefined;
    if (instance === undefined || this.instances.includes(instance)) return undefined;
    return `There is no Argo CD instance \`${instance}\`; the instances are ${this.instances.map((i) => `\`${i}\``).join(', ')}.`;
  }

  private async guarded(user: string, answer: () => Promise<SlackMessage>): Promise<SlackMessage> {
    const decision = await this.rate.take(user);
    if (!decision.allowed) return renderStatusRateLimited(decision.retryAfterMs, this.options.rateLimit);
    return this.safely(answer);
  }

  private async safely(answer: () => Promise<SlackMessage>): Promise<SlackMessage> {
    try {
      return await answer();
    } catch (error) {
      this.ctx.logger.warn({ err: error }, '/deploy-status could not be answered');
      const reason =
        error instanceof Error && 'code' in error && String(error.code).startsWith('argocd')
          ? `Argo CD: ${error.message}`
          : 'the state store or Argo CD did not answer';
      return renderStatusUnavailable(reason);
    }
  }

  private async answerStats(query: Extract<StatusQuery, { kind: 'stats' }>): Promise<SlackMessage> {
    if (!this.delivery) return renderStatusHelp('Delivery stats are not recorded by this deploybot.');
    return answerStats(
      { records: this.delivery.records, policy: this.ctx.config.policy, now: this.ctx.now },
      query,
    );
  }

  private async answerNotify(user: string, on: boolean): Promise<SlackMessage> {
    if (!this.delivery) return renderStatusHelp('Author notifications are not available here.');
    await this.delivery.notify.setNotify(user, on);
    return renderNotifySetting(on);
  }

  /**
   * `audit <app>` without an instance: the one instance whose audit knows the app. With one instance
   * that is it; with several and the name in more than one, the usage line names each candidate.
   */
  private async auditInstance(app: string): Promise<{ instance?: string; ambiguous?: string[] }> {
    const instances = this.instances;
    if (instances.length === 1) return { instance: instances[0] };
    const known = await Promise.all(
      instances.map(async (instance) => {
        const [entries, denials] = await Promise.all([
          this.ctx.store.readAudit({ app, instance, limit: 1 }),
          this.ctx.store.readDenials({ app, instance, limit: 1 }),
        ]);
        return entries.length + denials.length > 0 ? instance : undefined;
      }),
    );
    const candidates = known.filter((i): i is string => i !== undefined);
    if (candidates.length > 1) return { ambiguous: candidates };
    // No instance's audit knows it: the answer is empty, under the name as typed.
    return { instance: candidates[0] };
  }

  private async answerAudit(user: string, app: string, named?: string): Promise<SlackMessage> {
    const access = await checkAuditAccess(
      {
        policy: this.ctx.config.policy,
        groupMembers: (group) => this.ctx.slack.groupMembers(group),
        logger: this.ctx.logger,
      },
      user,
    );
    if (!access.allowed) return renderStatusAuditDenied(app, access.reason);
    const found = named ? { instance: named } : await this.auditInstance(app);
    if (found.ambiguous)
      return renderStatusHelp(
        `\`${app}\` is an app on more than one Argo CD instance; name one: ${found.ambiguous
          .map((instance) => `\`/deploy-status audit ${instance}/${app}\``)
          .join(', ')}`,
      );
    const instance = found.instance;
    // Decisions and refusals are two logs: the last 20 decisions show however many refusals followed.
    const [entries, denials] = await Promise.all([
      this.ctx.store.readAudit({ app, instance, limit: AUDIT_LIMIT }),
      this.ctx.store.readDenials({ app, instance, limit: AUDIT_DENIAL_LIMIT }),
    ]);
    const label = instance ? appLabel({ instance, name: app }) : app;
    return renderStatusAudit({ app: label, entries, denials, limit: AUDIT_LIMIT });
  }

  private async loadRows(user: string, query: ListQuery): Promise<CollectedRows> {
    const mine = query.mine
      ? await resolveAskerIdentity(this.ctx.config.policy, this.ctx.slack, user, this.ctx.logger)
      : undefined;
    return collectStatusRows(
      {
        argocd: this.ctx.argocd,
        instances: this.instances,
        repo: this.repo,
        policy: this.ctx.config.policy,
        concurrency: this.options.concurrency,
      },
      { filter: query.filter, pendingOnly: query.pendingOnly, mine },
    );
  }

  private async answerList(
    user: string,
    query: ListQuery,
    offset: number,
    maxAgeMs: number,
  ): Promise<SlackMessage> {
    const key = statusQueryKey(query, user);
    const {
      value: { rows, unreachable },
    } = await this.cache.get(key, maxAgeMs, () => this.loadRows(user, query));
    const start = offset >= rows.length ? 0 : Math.max(0, offset);
    const page = rows.slice(start, start + STATUS_PAGE_SIZE);
    const perAppCalls = rows.length <= this.options.detailLimit;
    const detailed = await detailRows(
      {
        argocd: this.ctx.argocd,
        repo: this.repo,
        permalinks: this.permalinks,
        concurrency: 4,
        deadlineMs: 1500,
      },
      page,
      perAppCalls,
    );
    const notes: string[] = [];
    if (!perAppCalls)
      notes.push(
        `Sync windows and commit subjects from Argo CD are looked up for answers of up to ${this.options.detailLimit} apps; narrow the query to see them.`,
      );
    if (query.mine) notes.push('Apps whose pending or last deploy holds a commit of yours.');
    if (unreachable.length > 0)
      notes.push(
        `Argo CD instance ${unreachable.map((i) => `\`${i}\``).join(', ')} did not answer; its apps are not listed.`,
      );
    const paged = rows.length > STATUS_PAGE_SIZE;
    const next = start + page.length;
    return renderStatusAnswer({
      query: query.text,
      rows: detailed,
      total: rows.length,
      offset: start,
      counts: paged ? countByEnvironment(rows) : undefined,
      freezes: this.activeFreezes(page),
      nextValue: next < rows.length ? encodePageCursor({ query: query.text, offset: next }) : undefined,
      notes,
      argoUiUrl: this.ctx.argoUiUrl(DEFAULT_INSTANCE),
      argoUiUrls: Object.fromEntries(this.ctx.config.argocd.map((i) => [i.name, this.ctx.argoUiUrl(i.name)])),
      githubWebUrl: githubWebUrl(this.ctx.config.env.GITHUB_API_URL),
      now: this.ctx.now(),
    });
  }

  private activeFreezes(rows: readonly StatusRow[]): ActiveFreezeView[] {
    const now = this.ctx.now();
    const views: ActiveFreezeView[] = [];
    for (const environment of new Set(rows.map((r) => r.environment))) {
      const policy = this.ctx.config.policy.environments[environment];
      const active = policy ? isFrozen(policy.freezes, now) : undefined;
      if (active) views.push({ environment, reason: active.freeze.reason, endsAt: active.endsAt });
    }
    return views;
  }
}
