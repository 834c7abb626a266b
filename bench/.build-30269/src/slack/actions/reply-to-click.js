import { renderDenial, renderTryAgain } from '../../render/ephemeral.js';
import { escapeMrkdwn } from '../../render/mrkdwn.js';
/** Tells only the person who clicked what happened; the card itself is updated by the card publisher. */
export async function replyToClick(respond, outcome, action, logger) {
    let message;
    switch (outcome.kind) {
        case 'denied':
            message = renderDenial(outcome.reason);
            break;
        case 'try-again':
            message = renderTryAgain({ action, reason: outcome.reason });
            break;
        case 'refused':
            // Argo CD's and GitHub's own words are quoted in here: escaped, so that `<` or `&` cannot turn into markup.
            message = { text: `⚠️ ${escapeMrkdwn(outcome.message)}` };
            break;
        case 'done':
            return;
    }
    try {
        await respond({
            response_type: 'ephemeral',
            replace_original: false,
            text: message.text,
            ...(message.blocks ? { blocks: message.blocks } : {}),
        });
    }
    catch (error) {
        logger.warn({ err: error }, 'could not answer the click ephemerally');
    }
}
