/** The deploy card: everything deploybot knows about one (application, target revision). Pure data. */
export const TERMINAL_STATES = new Set([
    'rejected',
    'superseded',
    'expired',
    'rolled-back',
]);
export const ACTIVE_OPERATION_STATES = new Set(['syncing', 'rolling-back']);
export function shortSha(sha) {
    return sha ? sha.slice(0, 7) : 'unknown';
}
