import { createHash } from 'node:crypto';
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../logging/create-logger.js';
import { storeKeys } from '../store/keys.js';
import type { Store } from '../store/store.js';
import { isForeignRequest, requestIdentity } from './slack-identity.js';

export interface SocketGuardDeps {
  store: Store;
  logger: Logger;
  /** SLACK_TEAM_ID and SLACK_APP_ID, when set: they hold over the socket as over HTTP. */
  teamId?: string;
  appId?: string;
}

/** How long a delivery is remembered: Slack retries an unacked envelope within minutes. */
const SOCKET_REDELIVERY_TTL_MS = 60 * 60 * 1000;

type Body = Record<string, unknown>;

/**
 * The key a delivery and its redeliveries share. An Events API body has Slack's `event_id` (the same
 * key as over HTTP, so an event seen on either transport is handled once); an interaction or command
 * is resent with identical bytes (its action_ts, trigger_id and response_url make a new press differ).
 */
function socketDeliveryKey(body: Body): string {
  if (body.type === 'event_callback' && typeof body.event_id === 'string')
    return storeKeys.slackEvent(body.event_id);
  return storeKeys.slackEnvelope(createHash('sha256').update(JSON.stringify(body)).digest('hex'));
}

/**
 * Global Bolt middleware in Socket Mode, where the HTTP preflight (signature, timestamp, replay) has no
 * place: the envelope arrived over our own authenticated connection. What still holds is the
 * workspace and app pin, and one effect per delivery: an envelope redelivered (`retry_attempt` > 0, or
 * the same payload again) is acked and dropped. A refused envelope is acked too, so Slack stops.
 */
export function socketGuard(deps: SocketGuardDeps): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as unknown as Body;
    const ack =
      'ack' in args && typeof args.ack === 'function' ? (args.ack as () => Promise<void>) : undefined;
    const who = requestIdentity(body);
    if (isForeignRequest(who, deps)) {
      deps.logger.warn(
        { teamId: who.teamId, enterpriseIds: who.enterpriseIds, appId: who.appId, transport: 'socket' },
        'refused a Slack request for another workspace or app',
      );
      await ack?.();
      return;
    }
    try {
      if (!(await deps.store.markSeen(socketDeliveryKey(body), SOCKET_REDELIVERY_TTL_MS))) {
        deps.logger.info(
          { retryNum: args.context.retryNum, transport: 'socket' },
          'ignored a redelivered Slack envelope',
        );
        await ack?.();
        return;
      }
    } catch {
      // The store is down: the listener runs and tells the user to try again (it fails closed there).
    }
    await args.next();
  };
}
