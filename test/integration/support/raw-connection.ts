import { connect, type Socket } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Milliseconds from the connection to the end of the answer. */
  afterMs: number;
  /** Interim answers (`100 Continue`) seen before it. */
  interim: number[];
}

export interface RawConnection {
  socket: Socket;
  write(bytes: string | Buffer): void;
  /** Writes `byte` every `everyMs` until the connection closes or stop() (a client that never finishes). */
  dribble(byte: string, everyMs: number): void;
  stop(): void;
  /** The first final answer on the connection. */
  answer: Promise<RawAnswer>;
  /** Resolves when the server half-closes (FIN) or closes the connection; afterMs from the connection. */
  ended: Promise<{ afterMs: number }>;
  /** Resolves when the socket is fully closed. */
  closed: Promise<{ afterMs: number }>;
  destroy(): void;
}

/**
 * A client over node:net, so a test controls every byte and its timing (fetch and node:http buffer,
 * retry and finish bodies on their own): headers without a body, a body one byte at a time, or no
 * headers at all.
 */
export function openRaw(
  port: number,
  /** Keep writing after the server's FIN (most clients close then), to see what the server does next. */
  { halfOpen = false } = {},
): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: halfOpen });
    let timer: NodeJS.Timeout | undefined;
    const stop = () => clearInterval(timer);
    let received = Buffer.alloc(0);
    let settleAnswer: (answer: RawAnswer) => void = () => {};
    let failAnswer: (error: Error) => void = () => {};
    const answer = new Promise<RawAnswer>((res, rej) => {
      settleAnswer = res;
      failAnswer = rej;
    });
    answer.catch(() => {});
    const interim: number[] = [];
    let done = false;
    const parse = () => {
      while (!done) {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        const [statusLine = '', ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
        const status = Number(statusLine.split(' ')[1]);
        const headers = Object.fromEntries(
          lines.map((line) => {
            const colon = line.indexOf(':');
            return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
          }),
        );
        if (status >= 100 && status < 200) {
          interim.push(status);
          received = received.subarray(end + 4);
          continue;
        }
        const length = Number(headers['content-length'] ?? 0);
        if (received.length < end + 4 + length) return;
        done = true;
        settleAnswer({
          status,
          headers,
          body: received.subarray(end + 4, end + 4 + length).toString('utf8'),
          afterMs: Date.now() - started,
          interim,
        });
      }
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      parse();
    });
    const ended = new Promise<{ afterMs: number }>((res) => {
      socket.once('end', () => res({ afterMs: Date.now() - started }));
      socket.once('close', () => res({ afterMs: Date.now() - started }));
    });
    const closed = new Promise<{ afterMs: number }>((res) =>
      socket.once('close', () => {
        stop();
        if (!done) failAnswer(new Error(`closed without an answer after ${Date.now() - started} ms`));
        res({ afterMs: Date.now() - started });
      }),
    );
    // A reset after the answer is the server closing a connection we were still writing to.
    socket.on('error', () => {});
    socket.once('connect', () =>
      resolve({
        socket,
        write: (bytes) => {
          if (socket.writable) socket.write(bytes);
        },
        dribble(byte, everyMs) {
          stop();
          timer = setInterval(() => {
            if (socket.writable) socket.write(byte);
            else stop();
          }, everyMs);
        },
        stop,
        answer,
        ended,
        closed,
        destroy: () => {
          stop();
          socket.destroy();
        },
      }),
    );
    socket.once('error', reject);
  });
}

/** The request line and headers of a POST, without any body. */
export function postHead(path: string, headers: Record<string, string | number>): string {
  const lines = Object.entries({ host: '127.0.0.1', ...headers }).map(([name, value]) => `${name}: ${value}`);
  return `POST ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}
