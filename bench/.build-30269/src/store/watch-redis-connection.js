/**
 * Logs each change of the Redis connection once (not per failed command): "lost" when it drops,
 * "restored" when ioredis has reconnected. /readyz answers 503 in between.
 */
export function watchRedisConnection(store, logger) {
    let lostAt;
    let lastError;
    store.client.on('error', (error) => {
        lastError = error.message;
    });
    store.client.on('close', () => {
        if (lostAt !== undefined)
            return;
        lostAt = Date.now();
        logger.warn({ reason: lastError }, 'lost the connection to Redis; buttons answer "try again" and Argo CD notifications get 503 until it is back');
    });
    store.client.on('ready', () => {
        if (lostAt === undefined)
            return;
        logger.info({ downForMs: Date.now() - lostAt }, 'the connection to Redis is back');
        lostAt = undefined;
        lastError = undefined;
    });
}
