import { createServer } from 'node:http';
import { sendJson, sendText } from './send.js';
function write(res, result) {
    if (result.text !== undefined)
        sendText(res, result.status, result.text, result.contentType);
    else if (result.body !== undefined)
        sendJson(res, result.status, result.body, result.headers);
    else {
        res.writeHead(result.status, result.headers);
        res.end();
    }
}
export function createHttpServer({ routes, metrics, logger, }) {
    let inFlight = 0;
    let drained;
    const server = createServer((req, res) => {
        const started = process.hrtime.bigint();
        const path = (req.url ?? '/').split('?')[0] ?? '/';
        const route = routes.find((r) => r.path === path && r.method === req.method);
        const knownPath = routes.some((r) => r.path === path);
        const name = route?.name ?? 'unknown';
        inFlight++;
        let outcome = 'error';
        res.on('close', () => {
            inFlight--;
            metrics.observe(name, outcome, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
            if (inFlight === 0)
                drained?.();
        });
        if (!route) {
            outcome = knownPath ? 'method_not_allowed' : 'not_found';
            if (knownPath)
                sendJson(res, 405, { error: `method ${req.method} not allowed on ${path}` });
            else
                sendJson(res, 404, { error: `no route ${path}` });
            return;
        }
        route
            .handle(req, res)
            .then((result) => {
            if (result) {
                outcome = result.outcome;
                write(res, result);
            }
            else
                outcome = `http_${res.statusCode}`;
        })
            .catch((error) => {
            // Bad input is answered inside the handlers; reaching here is our bug, so say so and log it.
            logger.error({ err: error, route: name }, 'unhandled error in route');
            outcome = 'internal_error';
            sendJson(res, 500, { error: 'internal error' });
        });
    });
    server.keepAliveTimeout = 5000;
    return {
        server,
        listen: (port, host = '0.0.0.0') => new Promise((resolve, reject) => {
            server.once('error', reject);
            server.listen(port, host, () => {
                server.off('error', reject);
                const address = server.address();
                resolve(typeof address === 'object' && address ? address.port : port);
            });
        }),
        close: async (deadlineMs) => {
            const closed = new Promise((resolve) => server.close(() => resolve()));
            server.closeIdleConnections();
            if (inFlight > 0) {
                await Promise.race([
                    new Promise((resolve) => {
                        drained = resolve;
                    }),
                    new Promise((resolve) => setTimeout(resolve, deadlineMs)),
                ]);
            }
            server.closeAllConnections();
            await closed;
        },
    };
}
