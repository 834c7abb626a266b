/** Ephemeral answers to the person who pressed a button; the card itself stays unchanged. */
import { buildMessage, type SlackMessage, section } from './block-kit.js';
import { truncate, truncateMrkdwn } from './limits.js';
import { escapeMrkdwn, oneLine } from './mrkdwn.js';

/**
 * "Not allowed" with the rule that refused. `reason` is trusted mrkdwn from the policy engine, which
 * escapes every configured or user-provided part itself and keeps mentions like <@U…> working.
 */
export function renderDenial(reason: string): SlackMessage {
  const text = `⛔ Not allowed: ${truncateMrkdwn(oneLine(reason).replace(/[.\s]+$/, ''), 1000)}. Nothing was done.`;
  return buildMessage(text, [section('denial', text)]);
}

export interface TryAgainInput {
  /** What the user tried, e.g. "Approve & Sync". */
  action?: string;
  /** Why it could not be recorded, e.g. "the state store is unreachable". */
  reason?: string;
}

/** A press that could not be recorded (store outage): nothing ran, and nothing will run later. */
export function renderTryAgain(input: TryAgainInput = {}): SlackMessage {
  const what = input.action ? ` *${escapeMrkdwn(truncate(oneLine(input.action), 100))}*` : ' your request';
  const why = input.reason ? ` (${escapeMrkdwn(truncate(oneLine(input.reason), 500))})` : '';
  const text = `⚠️ deploybot could not record${what} right now${why}. Nothing was done and nothing will run later; please try again in a minute.`;
  return buildMessage(text, [section('try_again', text)]);
}

/** An allowed action that could not run; Argo CD's and GitHub's own words are quoted, escaped. */
export function renderRefused(message: string): SlackMessage {
  const text = `⚠️ ${escapeMrkdwn(truncate(oneLine(message), 2000))}`;
  return buildMessage(text, [section('refused', text)]);
}

/** What a submission did, told after its ack (the modal is closed by then); `summary` is trusted mrkdwn. */
export function renderDone(summary: string): SlackMessage {
  const text = `✅ ${truncateMrkdwn(oneLine(summary), 2000)}`;
  return buildMessage(text, [section('done', text)]);
}
