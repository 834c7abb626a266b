import pino, {} from 'pino';
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
/** A write stream that replaces any known secret value before the line leaves the process. */
function scrubbingStream(secrets, inner) {
    return {
        write(line) {
            let out = line;
            for (const secret of secrets)
                if (out.includes(secret))
                    out = out.split(secret).join('[Redacted]');
            inner.write(out);
        },
    };
}
export function createLogger({ level, secrets = [], destination }) {
    const values = secrets.filter((s) => typeof s === 'string' && s.length >= 6);
    const target = destination ?? pino.destination({ dest: 1, sync: false });
    return pino({
        level,
        base: { service: 'deploybot' },
        redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
        serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
        timestamp: pino.stdTimeFunctions.isoTime,
    }, values.length ? scrubbingStream(values, target) : target);
}
