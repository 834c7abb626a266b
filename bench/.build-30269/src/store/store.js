/** The one persistence port. Redis in production (any number of replicas), memory for the demo (one replica). */
export const AUDIT_CAP = 10_000;
/** Thrown when the store cannot be reached; callers fail closed and tell the user to try again. */
export class StoreUnavailableError extends Error {
    code = 'store_unavailable';
    constructor(cause) {
        super('the state store (Redis) is unreachable', { cause });
    }
}
