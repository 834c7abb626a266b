import { Agent, request } from 'node:http';
import { connect } from 'node:net';

export interface RawRequest {
  method: string;
  path: string;
  /** Values given as arrays are sent as repeated header lines. */
  headers?: Record<string, string | string[]>;
  body?: string | Uint8Array;
}

export interface RawResponse {
  status: number;
  body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** node:http rather than fetch: fetch normalises headers and refuses some methods a fuzzer must send. */
export function sendRaw(
  port: number,
  { method, path, headers = {}, body }: RawRequest,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    for (const [name, value] of Object.entries(headers)) req.setHeader(name, value);
    if (body !== undefined && body.length > 0) req.setHeader('content-length', Buffer.byteLength(body));
    req.end(body);
  });
}

/** Writes arbitrary bytes to the port (not necessarily HTTP) and waits for the server to close or answer. */
export function sendBytes(port: number, bytes: Uint8Array, timeoutMs = 500): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.end(bytes));
    const done = () => {
      socket.destroy();
      resolve();
    };
    socket.on('error', done);
    socket.on('close', done);
    socket.on('data', () => {});
    socket.setTimeout(timeoutMs, done);
  });
}

export function closeAgent(): void {
  agent.destroy();
}
