import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
export function createHttpMetrics() {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'deploybot_' });
    const requests = new Counter({
        name: 'deploybot_http_requests_total',
        help: 'HTTP requests by route, outcome and status',
        labelNames: ['route', 'outcome', 'status'],
        registers: [registry],
    });
    const latency = new Histogram({
        name: 'deploybot_http_request_duration_seconds',
        help: 'HTTP request latency by route and outcome',
        labelNames: ['route', 'outcome'],
        buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3],
        registers: [registry],
    });
    return {
        registry,
        observe(route, outcome, status, seconds) {
            requests.inc({ route, outcome, status: String(status) });
            latency.observe({ route, outcome }, seconds);
        },
    };
}
