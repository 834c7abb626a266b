import { ACTION_IDS } from '../ids.js';
import { replyToClick } from './reply-to-click.js';
export function clickOrigin(body) {
    return {
        userId: body.user.id,
        channel: body.container?.channel_id ?? body.channel?.id,
        messageTs: body.container?.message_ts,
    };
}
/** The button's value is only an opaque card id; everything else is read from the store. */
export function cardIdOf(action) {
    return typeof action.value === 'string' ? action.value.slice(0, 64) : '';
}
const BUTTONS = [
    [ACTION_IDS.approve, 'Approve & Sync', (a, id, o) => a.approve(id, o)],
    [ACTION_IDS.retry, 'Retry', (a, id, o) => a.retry(id, o)],
    [ACTION_IDS.rollback, 'Rollback', (a, id, o) => a.rollback(id, o)],
    [ACTION_IDS.abort, 'Abort', (a, id, o) => a.abort(id, o)],
    [ACTION_IDS.revertInGit, 'Revert in Git', (a, id, o) => a.revertInGit(id, o)],
];
/** Ack first (Slack's 3 s), then decide from stored state and answer ephemerally. */
export function registerCardActions(bolt, actions, logger) {
    for (const [actionId, label, run] of BUTTONS) {
        bolt.action(actionId, async ({ ack, body, action, respond }) => {
            await ack();
            const origin = clickOrigin(body);
            const log = logger.child({ action: actionId, user: origin.userId });
            const outcome = await run(actions, cardIdOf(action), origin);
            log.info({ outcome: outcome.kind }, 'card action handled');
            await replyToClick(respond, outcome, label, log);
        });
    }
    // Link buttons still send an interaction; acknowledge them so Slack shows no error.
    for (const linkId of [ACTION_IDS.openInArgo, ACTION_IDS.openPullRequest]) {
        bolt.action(linkId, async ({ ack }) => {
            await ack();
        });
    }
}
