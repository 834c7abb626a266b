import pino, { type DestinationStream, type Logger } from 'pino';
import { createSecretScrubber, MIN_SECRET_LENGTH } from './scrub-secrets.js';

export type { Logger } from 'pino';

// Paths pino must censor wherever they appear in a log object; values of secrets are also scrubbed below.
const REDACT_PATHS = [
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-slack-signature"]',
  'headers["x-hub-signature-256"]',
  '*.headers["x-hub-signature-256"]',
  '*.headers["x-slack-signature"]',
  'signature',
  '*.signature',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'privateKey',
  '*.privateKey',
  'config.headers.Authorization',
  '*.config.headers.Authorization',
];

export interface CreateLoggerOptions {
  level: string;
  /** Secret values to scrub from every line, whatever field they hide in. */
  secrets?: readonly (string | undefined)[];
  destination?: DestinationStream;
}

/**
 * A write stream that censors any known secret value before the line leaves the process: raw, JSON-
 * escaped (a PEM's newlines, a quote or backslash in a secret) and, for a PEM key, any part of its body.
 */
function scrubbingStream(scrub: (line: string) => string, inner: DestinationStream): DestinationStream {
  return {
    write(line: string) {
      inner.write(scrub(line));
    },
  };
}

export function createLogger({ level, secrets = [], destination }: CreateLoggerOptions): Logger {
  const values = secrets.filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH);
  const target = destination ?? pino.destination({ dest: 1, sync: false });
  return pino(
    {
      level,
      base: { service: 'deploybot' },
      redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    values.length ? scrubbingStream(createSecretScrubber(values), target) : target,
  );
}
