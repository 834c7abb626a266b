import { connect, createServer, type Server, type Socket } from 'node:net';

export interface RedisProxy {
  url: string;
  /** Drops every connection and refuses new ones, as a Redis that went away. */
  cut(): void;
  restore(): void;
  /**
   * The next command whose bytes (as sent, RESP) satisfy `match` reaches Redis and runs, but its reply
   * is thrown away and the connection dropped: the client cannot know whether it ran, and ioredis sends
   * it again on the next connection. Resolves once a reply was dropped.
   */
  dropReplyTo(match: (command: string) => boolean): Promise<void>;
  /** How many replies were dropped so far. */
  readonly droppedReplies: number;
  close(): Promise<void>;
}

interface DropRule {
  match: (command: string) => boolean;
  dropped: () => void;
}

/** A TCP pass-through in front of the test Redis, so a test can take "Redis" away and bring it back. */
export async function startRedisProxy(redisUrl: string): Promise<RedisProxy> {
  const target = new URL(redisUrl);
  const sockets = new Set<Socket>();
  const rules: DropRule[] = [];
  let down = false;
  let droppedReplies = 0;
  const server: Server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port || 6379), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    }
    // Armed on this connection: the next bytes from Redis answer the matched command.
    let dropNext: DropRule | undefined;
    client.on('data', (chunk: Buffer) => {
      const index = dropNext ? -1 : rules.findIndex((rule) => rule.match(chunk.toString('utf8')));
      if (index >= 0) [dropNext] = rules.splice(index, 1);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!dropNext) {
        client.write(chunk);
        return;
      }
      droppedReplies += 1;
      dropNext.dropped();
      dropNext = undefined;
      client.destroy();
      upstream.destroy();
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `redis://127.0.0.1:${port}`,
    cut() {
      down = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      down = false;
    },
    dropReplyTo(match) {
      return new Promise<void>((resolve) => rules.push({ match, dropped: resolve }));
    },
    get droppedReplies() {
      return droppedReplies;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
