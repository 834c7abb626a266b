import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import type { ActionOutcome } from '../../deploy-actions/action-outcome.js';
import type { ActionService, ClickOrigin } from '../../deploy-actions/action-service.js';
import type { Logger } from '../../logging/create-logger.js';
import { ACTION_IDS } from '../../render/ids.js';
import { YieldingQueue } from '../../runtime/yielding-queue.js';
import { isExternalUser } from '../is-external-user.js';
import { replyToClick } from './reply-to-click.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export function clickOrigin(body: BlockAction): ClickOrigin {
  return {
    userId: body.user.id,
    channel: body.container?.channel_id ?? body.channel?.id,
    messageTs: body.container?.message_ts,
    external: isExternalUser(body),
  };
}

/** The button's value is only an opaque card id; everything else is read from the store. */
export function cardIdOf(action: ButtonAction): string {
  return typeof action.value === 'string' ? action.value.slice(0, 64) : '';
}

const BUTTONS: [
  string,
  string,
  (actions: ActionService, cardId: string, origin: ClickOrigin) => Promise<ActionOutcome>,
][] = [
  [ACTION_IDS.approve, 'Approve & Sync', (a, id, o) => a.approve(id, o)],
  [ACTION_IDS.retry, 'Retry', (a, id, o) => a.retry(id, o)],
  [ACTION_IDS.rollback, 'Rollback', (a, id, o) => a.rollback(id, o)],
  [ACTION_IDS.abort, 'Abort', (a, id, o) => a.abort(id, o)],
  [ACTION_IDS.revertInGit, 'Revert in Git', (a, id, o) => a.revertInGit(id, o)],
  [ACTION_IDS.releaseHold, 'Release hold', (a, id, o) => a.releaseHold(id, o)],
];

/**
 * Button actions running at once after their ack. Each is mostly waiting (store, Argo CD's sync call
 * that may take seconds, Slack), so many run at once: a small limit held across a slow sync made the
 * 100th click of a burst wait for three rounds of syncs. What bounds memory is the limit; what keeps
 * acks fast is that the work yields to requests still in flight.
 */
const MAX_CONCURRENT_CLICKS = 256;
/** The longest a click's work waits for a burst of requests to be answered first. */
const MAX_CLICK_DEFER_MS = 500;

export interface CardActionsOptions {
  /** True while requests are in flight (HTTP); the click work starts once they are answered. */
  isBusy?: () => boolean;
}

export function registerCardActions(
  bolt: App,
  actions: ActionService,
  logger: Logger,
  options: CardActionsOptions = {},
): void {
  const clickWork = new YieldingQueue({
    concurrency: MAX_CONCURRENT_CLICKS,
    isBusy: options.isBusy ?? (() => false),
    maxDeferMs: MAX_CLICK_DEFER_MS,
  });
  for (const [actionId, label, run] of BUTTONS) {
    bolt.action<BlockAction<ButtonAction>>(
      actionId,
      async ({ ack, body, action, respond, client }: ButtonArgs) => {
        await ack();
        const cardId = cardIdOf(action);
        const log = logger.child({ action: actionId, user: body.user.id, cardId });
        const origin = { ...clickOrigin(body), log };
        // Acked already; the work waits for the requests in flight, so a burst of clicks is acked first.
        const outcome = await clickWork.run(() => run(actions, cardId, origin));
        log.info({ outcome: outcome.kind }, 'card action handled');
        await replyToClick(respond, outcome, label, log, {
          client,
          channel: origin.channel,
          user: origin.userId,
        });
      },
    );
  }
  // Link buttons still send an interaction; acknowledge them so Slack shows no error.
  for (const linkId of [ACTION_IDS.openInArgo, ACTION_IDS.openPullRequest]) {
    bolt.action(linkId, async ({ ack }) => {
      await ack();
    });
  }
}
