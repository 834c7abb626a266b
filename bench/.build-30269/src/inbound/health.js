export function healthzRoute() {
    return {
        method: 'GET',
        path: '/healthz',
        name: 'healthz',
        handle: async () => ({ status: 200, outcome: 'ok', text: 'ok\n' }),
    };
}
export function readyzRoute({ store, isShuttingDown, }) {
    return {
        method: 'GET',
        path: '/readyz',
        name: 'readyz',
        async handle() {
            if (isShuttingDown())
                return { status: 503, outcome: 'shutting_down', body: { ready: false, reason: 'shutting down' } };
            try {
                await store.ping();
            }
            catch {
                return {
                    status: 503,
                    outcome: 'store_unavailable',
                    body: { ready: false, reason: 'state store (Redis) unreachable' },
                };
            }
            return { status: 200, outcome: 'ok', body: { ready: true, store: store.kind } };
        },
    };
}
export function metricsRoute(registry) {
    return {
        method: 'GET',
        path: '/metrics',
        name: 'metrics',
        handle: async () => ({
            status: 200,
            outcome: 'ok',
            text: await registry.metrics(),
            contentType: registry.contentType,
        }),
    };
}
