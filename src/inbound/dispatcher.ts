import type { Logger } from '../logging/create-logger.js';
import type { ArgoNotification } from './argocd-notification-schema.js';

/** Events accepted at the edge, typed; handlers are registered by the features that own them. */
export type InboundEvent =
  | {
      type: 'argocd.notification';
      notification: ArgoNotification;
      /** The Argo CD instance whose webhook secret authenticated the request; the body cannot choose it. */
      instance: string;
      deliveryKey: string;
    }
  | { type: 'github.event'; name: string; deliveryId: string; payload: unknown };

export type EventHandler<E extends InboundEvent['type']> = (
  event: Extract<InboundEvent, { type: E }>,
  logger: Logger,
) => Promise<void>;

export class Dispatcher {
  private readonly handlers: { [K in InboundEvent['type']]?: EventHandler<K>[] } = {};

  constructor(private readonly logger: Logger) {}

  on<E extends InboundEvent['type']>(type: E, handler: EventHandler<E>): void {
    const list = (this.handlers[type] ?? []) as EventHandler<E>[];
    list.push(handler);
    (this.handlers as Record<string, unknown>)[type] = list;
  }

  /** Hands the event to its handlers without waiting for them: the HTTP answer must not wait for slow work. */
  dispatch(event: InboundEvent, logger: Logger = this.logger): void {
    const handlers = (this.handlers[event.type] ?? []) as EventHandler<typeof event.type>[];
    if (handlers.length === 0) {
      logger.info({ event: event.type }, 'event accepted; no handler registered');
      return;
    }
    for (const handler of handlers) {
      handler(event as never, logger).catch((error: unknown) => {
        logger.error({ err: error, event: event.type }, 'event handler failed');
      });
    }
  }
}
