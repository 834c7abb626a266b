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
import { Semaphore } from '../../runtime/semaphore.js';
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
 * Button actions running at once after their ack (each is mostly I/O: store, Argo CD, Slack). Every
 * listener acks first (Slack's 3 s), then decides from stored state and answers ephemerally.
 */
const MAX_CONCURRENT_CLICKS = 32;

export function registerCardActions(bolt: App, actions: ActionService, logger: Logger): void {
  const clickWork = new Semaphore(MAX_CONCURRENT_CLICKS);
  for (const [actionId, label, run] of BUTTONS) {
    bolt.action<BlockAction<ButtonAction>>(
      actionId,
      async ({ ack, body, action, respond, client }: ButtonArgs) => {
        await ack();
        const origin = clickOrigin(body);
        const log = logger.child({ action: actionId, user: origin.userId });
        // Acked already; the work queues behind a small limit so a burst of clicks cannot starve the next acks.
        const outcome = await clickWork.run(() => run(actions, cardIdOf(action), origin));
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
