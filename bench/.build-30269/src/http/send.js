export function sendJson(res, status, body, headers = {}) {
    if (res.headersSent)
        return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(text),
        ...headers,
    });
    res.end(text);
}
export function sendText(res, status, text, contentType = 'text/plain; charset=utf-8') {
    if (res.headersSent)
        return;
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
    res.end(text);
}
