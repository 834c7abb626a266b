/** Argo CD applications → status rows, filtered by the policy and the query. Pure. */

import { toAppSnapshot } from '../cards/to-app-snapshot.js';
import type { Application } from '../clients/argocd/application-schema.js';
import { chooseAppRepo } from '../clients/github/github-client.js';
import type { Policy } from '../config/policy-schema.js';
import { compileNamePattern } from '../domain/name-pattern.js';
import { resolveEnvironment } from '../domain/resolve-environment.js';
import type { StatusRow } from '../domain/status-row.js';
import type { AppFilter } from './status-query.js';

const DEFAULTS = { namespace: 'argocd', project: 'default' };

export type AppPredicate = (row: Pick<StatusRow, 'app' | 'environment'>) => boolean;

function parseTime(iso: string | undefined | null): number | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

// parseStatusQuery refused every pattern that does not compile, so this cannot throw for a parsed query.
function globMatcher(glob: string): (name: string) => boolean {
  return compileNamePattern(glob, { nocase: true });
}

/**
 * Builds the filter: explicit `env:`/`project:`/`app:` parts as given; a bare word is an environment
 * when the policy has one by that name, else a project when an app has it, else an app-name glob.
 */
export function buildAppPredicate(
  filter: AppFilter,
  policy: Pick<Policy, 'environments'>,
  projects: ReadonlySet<string>,
): AppPredicate {
  const checks: AppPredicate[] = [];
  if (filter.environment) {
    const env = filter.environment.toLowerCase();
    checks.push((row) => row.environment.toLowerCase() === env);
  }
  if (filter.project) {
    const project = filter.project;
    checks.push((row) => row.app.project === project);
  }
  if (filter.glob) {
    const match = globMatcher(filter.glob);
    checks.push((row) => match(row.app.name));
  }
  if (filter.term) {
    const term = filter.term;
    if (Object.hasOwn(policy.environments, term)) checks.push((row) => row.environment === term);
    else if (projects.has(term)) checks.push((row) => row.app.project === term);
    else {
      const match = globMatcher(term);
      checks.push((row) => match(row.app.name));
    }
  }
  return (row) => checks.every((check) => check(row));
}

/** The deployed revision is Argo CD's last history entry; while Synced the sync revision says the same. */
function deployedOf(app: Application, snapSync: string | undefined, synced: boolean): StatusRow['deployed'] {
  const last = app.status?.history?.at(-1);
  const sha = last?.revision ?? (synced ? snapSync : undefined);
  if (!sha) return undefined;
  return {
    sha,
    at: parseTime(last?.deployedAt),
    initiatedBy: last?.initiatedBy?.username ?? undefined,
    automated: last?.initiatedBy?.automated ?? undefined,
  };
}

/** Every application of `instance` a policy rule matches, as a row without store data yet. */
export function toStatusRows(apps: readonly Application[], policy: Policy, instance: string): StatusRow[] {
  const rows: StatusRow[] = [];
  for (const app of apps) {
    const snap = toAppSnapshot(app, { ...DEFAULTS, instance });
    const resolved = resolveEnvironment(policy, snap.app);
    if (!resolved) continue;
    const repo = chooseAppRepo(snap.source.repoURL, policy.github.repo);
    rows.push({
      app: snap.app,
      environment: resolved.environment.name,
      autoSync: snap.autoSync,
      syncStatus: snap.syncStatus,
      health: snap.health,
      healthMessage: snap.healthMessage,
      operation: snap.operation
        ? { phase: snap.operation.phase, message: snap.operation.message, revision: snap.operation.revision }
        : undefined,
      operationRunning: snap.operationRunning,
      deployed: deployedOf(app, snap.targetRevision, snap.syncStatus === 'Synced'),
      targetRevision: snap.targetRevision,
      repo,
      images: snap.images,
    });
  }
  return rows;
}
