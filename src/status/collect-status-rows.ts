/** One list call per Argo CD instance plus store reads (bounded): every matching app as a ranked status row. */

import type { CardRepository } from '../cards/card-repository.js';
import type { ArgoCdClient } from '../clients/argocd/argocd-client.js';
import type { Policy } from '../config/policy-schema.js';
import type { Card } from '../domain/card.js';
import {
  classifyRow,
  compareRows,
  isOpenCardState,
  type OpenCardRef,
  type StatusRow,
} from '../domain/status-row.js';
import { mapBounded } from '../runtime/map-bounded.js';
import { buildAppPredicate, toStatusRows } from './app-rows.js';
import { type AskerIdentity, isAuthoredBy } from './asker-identity.js';
import type { AppFilter } from './status-query.js';

export interface CollectDeps {
  argocd: Pick<ArgoCdClient, 'listApplications'>;
  /** The configured instances, in order; each is listed (only the filter's one when it names one). */
  instances: readonly string[];
  repo: Pick<CardRepository, 'currentTarget' | 'get' | 'findByRevision'>;
  policy: Policy;
  /** Store reads in flight at once. */
  concurrency: number;
}

export interface CollectInput {
  filter: AppFilter;
  pendingOnly: boolean;
  /** Set for `mine`: keep only apps whose open or deployed card holds a commit by this person. */
  mine?: AskerIdentity;
}

function toOpenRef(card: Card): OpenCardRef {
  return {
    cardId: card.id,
    revision: card.revision,
    state: card.state,
    channel: card.channel,
    ts: card.ts,
    approvals: card.approvals.map((a) => a.user),
    requiredApprovals: card.requiredApprovals,
    createdAt: card.createdAt,
    subject: card.to.subject,
    syncWindow: card.syncWindow,
  };
}

async function readOpenCard(deps: CollectDeps, row: StatusRow): Promise<Card | undefined> {
  const current = await deps.repo.currentTarget(row.app);
  return current ? deps.repo.get(current.cardId) : undefined;
}

async function isMine(deps: CollectDeps, row: StatusRow, current: Card | undefined, who: AskerIdentity) {
  if (current && isAuthoredBy(current, who)) return true;
  const deployedSha = row.deployed?.sha;
  if (!deployedSha || deployedSha === current?.revision) return false;
  const deployedCard = await deps.repo.findByRevision(row.app, deployedSha);
  return deployedCard !== undefined && isAuthoredBy(deployedCard, who);
}

/** The rows, and the instances that did not answer (their apps are missing from the rows). */
export interface CollectedRows {
  rows: StatusRow[];
  unreachable: string[];
}

/**
 * Lists the instances at once; one that fails leaves its apps out and is named, the others answer. Only
 * when none answers is it an error (the caller says Argo CD is unavailable).
 */
async function listRows(deps: CollectDeps, instances: readonly string[]): Promise<CollectedRows> {
  const listed = await Promise.allSettled(
    instances.map((instance) => deps.argocd.listApplications(instance)),
  );
  const rows: StatusRow[] = [];
  const unreachable: string[] = [];
  listed.forEach((result, i) => {
    const instance = instances[i]!;
    if (result.status === 'fulfilled') rows.push(...toStatusRows(result.value, deps.policy, instance));
    else unreachable.push(instance);
  });
  const firstFailure = listed.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (firstFailure && unreachable.length === instances.length) throw firstFailure.reason;
  return { rows, unreachable };
}

export async function collectStatusRows(deps: CollectDeps, input: CollectInput): Promise<CollectedRows> {
  const instances = input.filter.instance
    ? deps.instances.filter((name) => name === input.filter.instance)
    : deps.instances;
  if (instances.length === 0) return { rows: [], unreachable: [] };
  const { rows: all, unreachable } = await listRows(deps, instances);
  const projects = new Set(all.map((row) => row.app.project));
  const matches = buildAppPredicate(input.filter, deps.policy, projects);
  const candidates = all.filter(matches);
  const enriched = await mapBounded(
    candidates,
    deps.concurrency,
    async (row): Promise<StatusRow | undefined> => {
      const card = await readOpenCard(deps, row);
      if (input.mine && !(await isMine(deps, row, card, input.mine))) return undefined;
      const open =
        card && isOpenCardState(card.state) && card.revision !== row.deployed?.sha
          ? toOpenRef(card)
          : undefined;
      const withCard: StatusRow = { ...row, open };
      return { ...withCard, problem: classifyRow(withCard) };
    },
  );
  const rows = enriched
    .filter((row): row is StatusRow => row !== undefined)
    .filter((row) => !input.pendingOnly || row.open?.state === 'pending' || row.open?.state === 'approved')
    .sort(compareRows);
  return { rows, unreachable };
}
