/** Ephemeral answers to the person who pressed a button; the card itself stays unchanged. */
import { buildMessage, section } from './block-kit.js';
import { truncate, truncateMrkdwn } from './limits.js';
import { escapeMrkdwn, oneLine } from './mrkdwn.js';
/**
 * "Not allowed" with the rule that refused. `reason` is trusted mrkdwn from the policy engine, which
 * escapes every configured or user-provided part itself and keeps mentions like <@U…> working.
 */
export function renderDenial(reason) {
    const text = `⛔ Not allowed: ${truncateMrkdwn(oneLine(reason).replace(/[.\s]+$/, ''), 1000)}. Nothing was done.`;
    return buildMessage(text, [section('denial', text)]);
}
/** A press that could not be recorded (store outage): nothing ran, and nothing will run later. */
export function renderTryAgain(input = {}) {
    const what = input.action ? ` *${escapeMrkdwn(truncate(oneLine(input.action), 100))}*` : ' your request';
    const why = input.reason ? ` (${escapeMrkdwn(truncate(oneLine(input.reason), 500))})` : '';
    const text = `⚠️ deploybot could not record${what} right now${why}. Nothing was done and nothing will run later; please try again in a minute.`;
    return buildMessage(text, [section('try_again', text)]);
}
