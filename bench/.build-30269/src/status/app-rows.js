/** Argo CD applications → status rows, filtered by the policy and the query. Pure. */
import picomatch from 'picomatch';
import { parseGitHubRepo } from '../clients/github/github-client.js';
import { resolveEnvironment } from '../domain/resolve-environment.js';
import { toAppSnapshot } from '../workers/to-app-snapshot.js';
const DEFAULTS = { namespace: 'argocd', project: 'default' };
function parseTime(iso) {
    if (!iso)
        return undefined;
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? undefined : ms;
}
function globMatcher(glob) {
    return picomatch(glob, { nocase: true, dot: true });
}
/**
 * Builds the filter: explicit `env:`/`project:`/`app:` parts as given; a bare word is an environment
 * when the policy has one by that name, else a project when an app has it, else an app-name glob.
 */
export function buildAppPredicate(filter, policy, projects) {
    const checks = [];
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
        if (Object.hasOwn(policy.environments, term))
            checks.push((row) => row.environment === term);
        else if (projects.has(term))
            checks.push((row) => row.app.project === term);
        else {
            const match = globMatcher(term);
            checks.push((row) => match(row.app.name));
        }
    }
    return (row) => checks.every((check) => check(row));
}
/** The deployed revision is Argo CD's last history entry; while Synced the sync revision says the same. */
function deployedOf(app, snapSync, synced) {
    const last = app.status?.history?.at(-1);
    const sha = last?.revision ?? (synced ? snapSync : undefined);
    if (!sha)
        return undefined;
    return {
        sha,
        at: parseTime(last?.deployedAt),
        initiatedBy: last?.initiatedBy?.username ?? undefined,
        automated: last?.initiatedBy?.automated ?? undefined,
    };
}
/** Every application a policy rule matches, as a row without store data yet. */
export function toStatusRows(apps, policy) {
    const rows = [];
    for (const app of apps) {
        const snap = toAppSnapshot(app, DEFAULTS);
        const resolved = resolveEnvironment(policy, snap.app);
        if (!resolved)
            continue;
        const repo = parseGitHubRepo(snap.source.repoURL) ??
            (policy.github.repo
                ? { owner: policy.github.repo.split('/')[0] ?? '', name: policy.github.repo.split('/')[1] ?? '' }
                : undefined);
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
