const STATE_PHRASES = {
    pending: 'waiting for approval',
    approved: 'approved and about to sync',
    syncing: 'syncing',
    succeeded: 'already deployed',
    failed: 'failed',
    degraded: 'deployed but degraded',
    rejected: 'rejected',
    superseded: 'superseded by a newer revision',
    expired: 'expired',
    'rolling-back': 'being rolled back',
    'rolled-back': 'rolled back',
};
/** "syncing", "already deployed"...: completes "This deploy of <app> is ___". */
export function describeState(state) {
    return STATE_PHRASES[state];
}
