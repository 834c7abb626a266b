import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../logging/create-logger.js';

/**
 * @slack/socket-mode logs every frame it receives or sends, payload included, at debug level; we keep
 * the words before the payload. Payloads are never logged (they carry user text and response_urls).
 */
const FRAME_DUMP =
  /^(Received a message on the WebSocket|Sending a WebSocket message|Calling ack\(\)|Unable to parse an incoming WebSocket message)/;

function withoutPayload(line: string): string {
  const frame = FRAME_DUMP.exec(line);
  return frame ? `${frame[1]} (payload not logged)` : line;
}

/** Bolt's logger interface on top of our redacting pino logger. */
export function boltLogger(logger: Logger): BoltLogger {
  const log = logger.child({ component: 'bolt' });
  let level = LogLevel.INFO;
  const text = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' ');
  return {
    debug: (...msg) => log.debug(withoutPayload(text(msg))),
    info: (...msg) => log.info(text(msg)),
    warn: (...msg) => log.warn(text(msg)),
    error: (...msg) => log.error(text(msg)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
