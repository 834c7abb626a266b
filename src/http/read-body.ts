import type { IncomingMessage, ServerResponse } from 'node:http';

export const MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLargeError extends Error {
  readonly code = 'body_too_large';
  constructor(readonly limit: number) {
    super(`request body is larger than ${limit} bytes`);
  }
}

class BodyTimeoutError extends Error {
  readonly code = 'body_timeout';
  constructor(readonly deadlineMs: number) {
    super(`request body not complete within ${deadlineMs / 1000} s`);
  }
}

class BodyAbortedError extends Error {
  readonly code = 'body_aborted';
  constructor() {
    super('the connection closed before the request body was complete');
  }
}

/** The Content-Length the client declared, or undefined for a chunked body (or none). */
export function declaredLength(req: IncomingMessage): number | undefined {
  const value = req.headers['content-length'];
  if (value === undefined) return undefined;
  const length = Number(value);
  return Number.isFinite(length) ? length : undefined;
}

/** True when body bytes may follow the headers (Node has already refused an invalid Content-Length). */
export function mayHaveBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || (declaredLength(req) ?? 0) > 0;
}

/** The 413 a route answers from the headers alone, before a byte of the body is read. */
export function declaredTooLarge(
  req: IncomingMessage,
  limit: number,
): { status: 413; outcome: 'too_large'; body: { error: string } } | undefined {
  const length = declaredLength(req);
  if (length === undefined || length <= limit) return undefined;
  return { status: 413, outcome: 'too_large', body: { error: new BodyTooLargeError(limit).message } };
}

const expectsContinue = (req: IncomingMessage) =>
  /(?:^|\W)100-continue(?:$|\W)/i.test(req.headers.expect ?? '');

export interface ReadBodyOptions {
  limit?: number;
  /** Where to send `100 Continue` when the client waits for it. */
  res?: ServerResponse;
  /** Gives up (BodyTimeoutError) when the body is not complete by then; default: the server's request timeout. */
  deadlineMs?: number;
}

/**
 * Buffers the raw bytes (signatures are computed over them) and stops keeping them past the limit.
 * Call it only once the headers have been checked: the server holds back `100 Continue`
 * (`checkContinue`), and it is sent here, when the body is actually wanted. Settles exactly once,
 * also when the connection closes midway, so a caller holding a budget always gets it back.
 */
export function readBody(
  req: IncomingMessage,
  { limit = MAX_BODY_BYTES, res, deadlineMs }: ReadBodyOptions = {},
): Promise<Buffer> {
  if ((declaredLength(req) ?? 0) > limit) return Promise.reject(new BodyTooLargeError(limit));
  if (req.destroyed) return Promise.reject(new BodyAbortedError());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    // The listeners stay after settling (each is a no-op then): an 'error' with none would throw.
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      finish();
    };
    // Past the limit the bytes are still taken off the wire and dropped: the server answers 413 and
    // closes the connection; pausing here instead would leave the client blocked mid-upload.
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        settle(() => reject(new BodyTooLargeError(limit)));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => settle(() => resolve(Buffer.concat(chunks, size))));
    req.on('error', (error: Error) => settle(() => reject(error)));
    req.on('close', () => settle(() => reject(new BodyAbortedError())));
    if (deadlineMs !== undefined) {
      timer = setTimeout(() => {
        chunks.length = 0;
        settle(() => reject(new BodyTimeoutError(deadlineMs)));
      }, deadlineMs);
      timer.unref();
    }
    if (res && expectsContinue(req) && !res.headersSent) res.writeContinue();
  });
}

/** The answer for a body that could not be read: too large, too slow, or cut off. */
export function unreadableBodyResult(error: unknown): {
  status: number;
  outcome: string;
  body: { error: string };
} {
  if (error instanceof BodyTooLargeError)
    return { status: 413, outcome: 'too_large', body: { error: error.message } };
  if (error instanceof BodyTimeoutError)
    return { status: 408, outcome: 'body_timeout', body: { error: error.message } };
  return { status: 400, outcome: 'invalid', body: { error: 'could not read the request body' } };
}
