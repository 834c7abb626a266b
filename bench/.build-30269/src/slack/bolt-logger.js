import { LogLevel } from '@slack/bolt';
/** Bolt's logger interface on top of our redacting pino logger. */
export function boltLogger(logger) {
    const log = logger.child({ component: 'bolt' });
    let level = LogLevel.INFO;
    const text = (msg) => msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' ');
    return {
        debug: (...msg) => log.debug(text(msg)),
        info: (...msg) => log.info(text(msg)),
        warn: (...msg) => log.warn(text(msg)),
        error: (...msg) => log.error(text(msg)),
        setLevel: (l) => {
            level = l;
        },
        getLevel: () => level,
        setName: () => { },
    };
}
