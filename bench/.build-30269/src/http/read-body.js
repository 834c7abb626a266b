export const MAX_BODY_BYTES = 1024 * 1024;
export class BodyTooLargeError extends Error {
    limit;
    code = 'body_too_large';
    constructor(limit) {
        super(`request body is larger than ${limit} bytes`);
        this.limit = limit;
    }
}
/** Buffers the raw bytes (signatures are computed over them) and stops reading past the limit. */
export function readBody(req, limit = MAX_BODY_BYTES) {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
        req.resume();
        return Promise.reject(new BodyTooLargeError(limit));
    }
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        let failed = false;
        req.on('data', (chunk) => {
            if (failed)
                return;
            size += chunk.length;
            if (size > limit) {
                failed = true;
                reject(new BodyTooLargeError(limit));
                return;
            }
            chunks.push(chunk);
        });
        req.on('end', () => {
            if (!failed)
                resolve(Buffer.concat(chunks));
        });
        req.on('error', (error) => {
            if (!failed)
                reject(error);
        });
    });
}
