export const PROBLEM_ORDER = [
    'degraded',
    'failed',
    'expired',
    'waiting',
    'out-of-sync',
    'progressing',
    'unknown',
];
/** Problems that count as "needs attention" in the per-environment totals. */
export const ATTENTION = new Set([
    'degraded',
    'failed',
    'expired',
    'waiting',
    'out-of-sync',
]);
const OPEN_STATES = new Set([
    'pending',
    'approved',
    'syncing',
    'failed',
    'expired',
    'degraded',
    'rolling-back',
]);
/** An open card is worth a link: it waits, runs, failed or expired; a succeeded one is just the deploy. */
export function isOpenCardState(state) {
    return OPEN_STATES.has(state);
}
export function classifyRow(row) {
    const health = row.health;
    if (health === 'Degraded' || health === 'Missing')
        return 'degraded';
    const phase = row.operation?.phase;
    if (!row.operationRunning && (phase === 'Failed' || phase === 'Error'))
        return 'failed';
    if (row.open?.state === 'failed')
        return 'failed';
    if (row.open?.state === 'degraded')
        return 'degraded';
    if (row.syncStatus === 'OutOfSync') {
        if (row.open?.state === 'expired')
            return 'expired';
        if (row.open && (row.open.state === 'pending' || row.open.state === 'approved'))
            return 'waiting';
        if (row.operationRunning || row.open?.state === 'syncing')
            return 'progressing';
        return 'out-of-sync';
    }
    if (row.operationRunning || health === 'Progressing' || row.open?.state === 'syncing')
        return 'progressing';
    if (!health || health === 'Unknown' || row.syncStatus === 'Unknown')
        return 'unknown';
    return undefined;
}
function rank(problem) {
    return problem === undefined ? PROBLEM_ORDER.length : PROBLEM_ORDER.indexOf(problem);
}
/** Problems first (most urgent first), then by environment and name so pages are stable. */
export function compareRows(a, b) {
    return (rank(a.problem) - rank(b.problem) ||
        a.environment.localeCompare(b.environment) ||
        a.app.name.localeCompare(b.app.name) ||
        a.app.namespace.localeCompare(b.app.namespace));
}
/** Totals per environment, the ones needing attention first. */
export function countByEnvironment(rows) {
    const counts = new Map();
    for (const row of rows) {
        let count = counts.get(row.environment);
        if (!count) {
            count = { environment: row.environment, total: 0, attention: 0, problems: {} };
            counts.set(row.environment, count);
        }
        count.total += 1;
        if (row.problem) {
            count.problems[row.problem] = (count.problems[row.problem] ?? 0) + 1;
            if (ATTENTION.has(row.problem))
                count.attention += 1;
        }
    }
    return [...counts.values()].sort((a, b) => b.attention - a.attention || b.total - a.total || a.environment.localeCompare(b.environment));
}
