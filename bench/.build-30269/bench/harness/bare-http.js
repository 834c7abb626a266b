import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
function readBody(req) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        req.on('data', (chunk) => chunks.push(chunk));
        req.on('end', () => resolve(Buffer.concat(chunks)));
        req.on('error', reject);
    });
}
const sha256 = (text) => createHash('sha256').update(text).digest();
function bearerMatches(header, expected) {
    if (!header?.startsWith('Bearer '))
        return false;
    return timingSafeEqual(sha256(header.slice(7)), expected);
}
function hmacMatches(body, header, secret) {
    if (typeof header !== 'string' || !header.startsWith('sha256='))
        return false;
    const given = Buffer.from(header.slice(7), 'hex');
    const expected = createHmac('sha256', secret).update(body).digest();
    return given.length === expected.length && timingSafeEqual(given, expected);
}
function answer(res, status, body) {
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
}
const ACCEPTED = '{"status":"accepted"}';
/** The ingest baseline: auth and a 202, nothing else; plus the floor route for notification → card. */
export async function startBareHttp(config) {
    const argocdSecret = sha256(config.argocdSecret);
    const handle = async (req, res) => {
        const body = await readBody(req);
        if (req.method !== 'POST')
            return answer(res, 405, '{}');
        if (req.url === '/argocd/events' || req.url === '/floor/argocd/events') {
            if (!bearerMatches(req.headers.authorization, argocdSecret))
                return answer(res, 401, '{}');
            answer(res, 202, ACCEPTED);
            if (req.url === '/floor/argocd/events') {
                // Floor: the least a bot can do between a notification and Slack seeing a message.
                const { app } = JSON.parse(body.toString('utf8'));
                await fetch(`${config.slackApiUrl}chat.postMessage`, {
                    method: 'POST',
                    headers: {
                        authorization: `Bearer ${config.slackToken}`,
                        'content-type': 'application/json; charset=utf-8',
                    },
                    body: JSON.stringify({ channel: config.slackChannel, text: `floor card for ${app}` }),
                }).then((response) => response.arrayBuffer());
            }
            return;
        }
        if (req.url === '/github/events') {
            if (!hmacMatches(body, req.headers['x-hub-signature-256'], config.githubSecret))
                return answer(res, 401, '{}');
            return answer(res, 202, ACCEPTED);
        }
        answer(res, 404, '{}');
    };
    const server = createServer((req, res) => {
        handle(req, res).catch(() => {
            if (!res.headersSent)
                answer(res, 500, '{}');
        });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
        port: server.address().port,
        close: () => new Promise((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}
