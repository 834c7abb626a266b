/**
 * The revision running in the cluster: the last successful deployment (history only grows on
 * successful, complete syncs, rollbacks included), else the target when the app is Synced.
 */
export function liveRevision(snap) {
    const last = snap.history.at(-1)?.revision;
    if (last)
        return last;
    return snap.syncStatus === 'Synced' ? snap.targetRevision : undefined;
}
