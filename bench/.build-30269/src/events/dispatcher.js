export class Dispatcher {
    logger;
    handlers = {};
    constructor(logger) {
        this.logger = logger;
    }
    on(type, handler) {
        const list = (this.handlers[type] ?? []);
        list.push(handler);
        this.handlers[type] = list;
    }
    /** Hands the event to its handlers without waiting for them: the HTTP answer must not wait for slow work. */
    dispatch(event, logger = this.logger) {
        const handlers = (this.handlers[event.type] ?? []);
        if (handlers.length === 0) {
            logger.info({ event: event.type }, 'event accepted; no handler registered');
            return;
        }
        for (const handler of handlers) {
            handler(event, logger).catch((error) => {
                logger.error({ err: error, event: event.type }, 'event handler failed');
            });
        }
    }
}
