import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { type ApiResult, fail, ok } from './api-result.js';
import type { JsonObject } from './types.js';

/**
 * Slack's Socket Mode, as @slack/socket-mode (SocketModeClient / SlackWebSocket, v3) speaks it:
 * `apps.connections.open` with the app-level token returns a single-use `ws` URL; the server sends
 * `{type:'hello'}` on connect; envelopes are `{envelope_id, type, payload, accepts_response_payload,
 * retry_attempt, retry_reason}`; the app acks with `{envelope_id, payload?}` within 3 s; the server may
 * send `{type:'disconnect', reason}` (the client closes and reconnects) or just drop the socket.
 * With several connections open each envelope goes to one of them (round robin here; Slack's choice is
 * its own).
 */

export type EnvelopeType = 'interactive' | 'slash_commands' | 'events_api';
export type DisconnectReason = 'refresh_requested' | 'link_disabled' | 'warning';

/** Slack waits this long for an ack before it shows the user an error (or retries an event). */
const SOCKET_ACK_TIMEOUT_MS = 3000;
/** How long a URL from apps.connections.open can be used (Slack's tickets are short-lived). */
const TICKET_TTL_MS = 60_000;

export interface SocketConnection {
  id: string;
  openedAt: number;
  open: boolean;
}

export interface AckRecord {
  envelopeId: string;
  type: EnvelopeType;
  connectionId: string;
  retryAttempt: number;
  sentAt: number;
  /** Milliseconds from send to ack; undefined while none came. */
  ackMs?: number;
  /** Acked after SOCKET_ACK_TIMEOUT_MS, or never. */
  late: boolean;
  missing: boolean;
  payload?: JsonObject;
}

export interface DeliverOptions {
  retryAttempt?: number;
  retryReason?: string;
  /** Deliver on this connection (the test of "a press delivered to either replica"). */
  connectionId?: string;
  /** Re-send an envelope id already used (a redelivery); default a fresh id. */
  envelopeId?: string;
  /** How long to wait for a connection when none is open; default 0 (fail at once, as Slack does). */
  waitForConnectionMs?: number;
}

export interface DeliveryResult {
  envelopeId: string;
  connectionId: string;
  /** 200 when acked in time (the ack's payload is the answer), 408 when no ack came within 3 s. */
  status: number;
  ack?: JsonObject;
}

interface LiveConnection extends SocketConnection {
  socket: WebSocket;
}

interface PendingAck {
  record: AckRecord;
  resolve: (payload: JsonObject | undefined) => void;
  timer: NodeJS.Timeout;
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export class SocketModeServer {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Map<string, number>();
  private readonly live = new Map<string, LiveConnection>();
  private readonly history: SocketConnection[] = [];
  private readonly pending = new Map<string, PendingAck>();
  private readonly records: AckRecord[] = [];
  private readonly waiters = new Set<() => void>();
  private nextIndex = 0;

  constructor(
    private readonly options: {
      appToken: string;
      appId: string;
      now: () => number;
      baseUrl: () => string;
      ackTimeoutMs?: number;
    },
  ) {}

  /** Listens for WebSocket upgrades on the fake's HTTP server. */
  attach(server: Server): void {
    server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  /** `apps.connections.open`: only the app-level token may open a connection. */
  openConnection(token: string | undefined): ApiResult {
    if (token === undefined || token === '') return fail('not_authed');
    if (token.startsWith('xoxb-') || token.startsWith('xoxp-')) return fail('not_allowed_token_type');
    if (token !== this.options.appToken) return fail('invalid_auth');
    const ticket = randomUUID();
    this.tickets.set(ticket, this.options.now() + TICKET_TTL_MS);
    const ws = this.options.baseUrl().replace(/^http/, 'ws');
    return ok({ url: `${ws}/link/?ticket=${ticket}&app_id=${this.options.appId}` });
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://fake-slack.invalid');
    const ticket = url.searchParams.get('ticket') ?? '';
    const expires = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    if (url.pathname !== '/link/' || expires === undefined || expires < this.options.now()) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(socket: WebSocket): void {
    const connection: LiveConnection = {
      id: `conn-${this.history.length + 1}`,
      openedAt: this.options.now(),
      open: true,
      socket,
    };
    this.live.set(connection.id, connection);
    this.history.push(connection);
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.onAck(data.toString());
    });
    socket.on('close', () => {
      connection.open = false;
      this.live.delete(connection.id);
    });
    socket.on('error', () => socket.terminate());
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.live.size,
        debug_info: { host: 'applink-fake-slack', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.options.appId },
      }),
    );
    for (const wake of this.waiters) wake();
  }

  private onAck(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (!isObject(message) || typeof message.envelope_id !== 'string') return;
    const record = this.records.find((r) => r.envelopeId === message.envelope_id && r.ackMs === undefined);
    if (!record) return;
    record.ackMs = this.options.now() - record.sentAt;
    record.missing = false;
    record.late = record.ackMs > (this.options.ackTimeoutMs ?? SOCKET_ACK_TIMEOUT_MS);
    if (isObject(message.payload) && Object.keys(message.payload).length > 0)
      record.payload = message.payload;
    const pending = this.pending.get(record.envelopeId);
    if (pending) {
      clearTimeout(pending.timer);
      this.pending.delete(record.envelopeId);
      pending.resolve(record.payload ?? {});
    }
  }

  /** Open connections, oldest first. */
  get connections(): SocketConnection[] {
    return this.history.filter((c) => c.open).map(({ id, openedAt, open }) => ({ id, openedAt, open }));
  }

  /** Every connection ever opened (closed ones too). */
  get allConnections(): SocketConnection[] {
    return this.history.map(({ id, openedAt, open }) => ({ id, openedAt, open }));
  }

  get acks(): AckRecord[] {
    return structuredClone(this.records);
  }

  private async pick(options: DeliverOptions): Promise<LiveConnection> {
    const deadline = Date.now() + (options.waitForConnectionMs ?? 0);
    for (;;) {
      if (options.connectionId) {
        const chosen = this.live.get(options.connectionId);
        if (chosen) return chosen;
      } else {
        const open = [...this.live.values()];
        if (open.length > 0) return open[this.nextIndex++ % open.length] as LiveConnection;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          options.connectionId
            ? `fake-slack: socket connection ${options.connectionId} is not open`
            : 'fake-slack: the app has no open Socket Mode connection',
        );
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(left, 100));
        this.waiters.add(wake);
      });
    }
  }

  /** Sends one envelope and waits for its ack (or SOCKET_ACK_TIMEOUT_MS). */
  async deliver(
    type: EnvelopeType,
    payload: JsonObject,
    options: DeliverOptions = {},
  ): Promise<DeliveryResult> {
    const connection = await this.pick(options);
    const envelopeId = options.envelopeId ?? randomUUID();
    const retryAttempt = options.retryAttempt ?? 0;
    const record: AckRecord = {
      envelopeId,
      type,
      connectionId: connection.id,
      retryAttempt,
      sentAt: this.options.now(),
      late: false,
      missing: true,
    };
    this.records.push(record);
    const acked = new Promise<JsonObject | undefined>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        // Still missing; an ack that arrives later is recorded as late.
        resolve(undefined);
      }, this.options.ackTimeoutMs ?? SOCKET_ACK_TIMEOUT_MS);
      this.pending.set(envelopeId, { record, resolve, timer });
    });
    connection.socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        payload,
        type,
        // Slack lets interactions and commands answer in the ack; events never.
        accepts_response_payload: type !== 'events_api',
        retry_attempt: retryAttempt,
        retry_reason: options.retryReason ?? (retryAttempt > 0 ? 'timeout' : ''),
      }),
    );
    const ack = await acked;
    return ack === undefined
      ? { envelopeId, connectionId: connection.id, status: 408 }
      : { envelopeId, connectionId: connection.id, status: 200, ack };
  }

  /** `{type:'disconnect'}` to one connection (or all): the client closes it and opens a new one. */
  disconnect(reason: DisconnectReason, connectionId?: string): void {
    for (const connection of this.targets(connectionId)) {
      connection.socket.send(
        JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake-slack' } }),
      );
    }
  }

  /** Drops the TCP connection without a close frame, as a lost network or a recycled pod does. */
  drop(connectionId?: string): void {
    for (const connection of this.targets(connectionId)) connection.socket.terminate();
  }

  private targets(connectionId?: string): LiveConnection[] {
    const all = [...this.live.values()];
    return connectionId ? all.filter((c) => c.id === connectionId) : all;
  }

  reset(): void {
    this.records.length = 0;
  }

  close(): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.resolve(undefined);
    }
    this.pending.clear();
    for (const connection of this.live.values()) connection.socket.terminate();
    this.wss.close();
  }
}
