import { formatDuration } from '../../config/duration.js';
import { type ChecksSummary, shortSha } from '../card.js';
import { type FreezeInForce, findFreezeInForce } from '../freeze-window.js';
import { escapeMrkdwn, formatInstant } from './format-text.js';
import type { Denied, PolicyInput } from './types.js';

// Checks shared by several actions. Each returns the denial, or undefined when the rule passes.

export function checkSuperseded({ card, isCurrentTarget }: PolicyInput): Denied | undefined {
  if (isCurrentTarget && card.state !== 'superseded') return undefined;
  return {
    allowed: false,
    rule: 'superseded',
    reason: `This card of ${card.app.name} is superseded: a newer revision replaced ${shortSha(card.revision)}, act on the newest card instead.`,
  };
}

/** `approvalTimeout` counts from the card's creation; the instant itself is still inside it. */
export function checkExpired({ card, environment, now }: PolicyInput): Denied | undefined {
  const expiresAt = card.createdAt + environment.approvalTimeout;
  if (card.state !== 'expired' && now <= expiresAt) return undefined;
  return {
    allowed: false,
    rule: 'expired',
    reason: `This card of ${card.app.name} expired ${formatInstant(expiresAt)}: ${environment.name} approvals close ${formatDuration(environment.approvalTimeout)} after the card is posted.`,
  };
}

/** The listed checks that are not green yet, each with why: still running, or not reported at all. */
function requiredNotGreen(checks: ChecksSummary, required: readonly string[]): string[] {
  const passing = new Set(checks.passing ?? []);
  const pending = new Set(checks.pendingNames);
  return required.flatMap((name) => {
    if (pending.has(name)) return [`${name}: still running`];
    // Cards stored before `passing` was recorded know no names: a required check counts as missing.
    if (!passing.has(name)) return [`${name}: not reported`];
    return [];
  });
}

/**
 * `requireGreenChecks`, or a `requiredChecks` list (which turns the gate on by itself): checks that
 * could not be read refuse, a failing check refuses (listed or not: a red build is never deployed),
 * and then either every check must have passed, or, with a list, every listed one must have: a listed
 * check that has not reported is pending, an unlisted one still running does not hold the deploy up.
 */
export function checkGreenChecks({ card, environment }: PolicyInput): Denied | undefined {
  const required = environment.requiredChecks ?? [];
  if (!environment.requireGreenChecks && required.length === 0) return undefined;
  const { checks } = card;
  const sha = shortSha(card.revision);
  const requirement = `and ${environment.name} requires green checks`;
  if (checks.state === 'unknown') {
    return {
      allowed: false,
      rule: 'checks-unknown',
      reason: `The GitHub checks of ${sha} could not be read, ${requirement}, so this is refused until they can be verified.`,
    };
  }
  if (checks.state === 'failure') {
    const failing = checks.failing.length ? ` (${escapeMrkdwn(checks.failing.join(', '))})` : '';
    return {
      allowed: false,
      rule: 'checks-not-green',
      reason: `GitHub checks failed on ${sha}${failing}, ${requirement}.`,
    };
  }
  if (required.length > 0) {
    const waiting = requiredNotGreen(checks, required);
    if (waiting.length === 0) return undefined;
    return {
      allowed: false,
      rule: 'checks-not-green',
      reason: `Required checks are not green on ${sha} (${escapeMrkdwn(waiting.join('; '))}) and ${environment.name} requires ${required.length === 1 ? 'it' : 'them'}; try again when they pass.`,
    };
  }
  if (checks.state === 'success') return undefined;
  const running = checks.pendingNames.length ? ` (${escapeMrkdwn(checks.pendingNames.join(', '))})` : '';
  return {
    allowed: false,
    rule: 'checks-not-green',
    reason: `GitHub checks are still running on ${sha}${running}, ${requirement}; try again when they pass.`,
  };
}

/** The freeze covering the input's environment now: policy windows and Slack freezes together. */
export function freezeInForce({ environment, now, slackFreezes }: PolicyInput): FreezeInForce | undefined {
  return findFreezeInForce(environment.freezes, slackFreezes ?? [], now);
}

/** "frozen by <@U0ALICE> (Incident 42) until …": the reason, who, and until when (a Slack date). */
function describeFreeze(environmentName: string, active: FreezeInForce): string {
  const by = active.by ? ` by <@${active.by}>` : '';
  return `Deploys to ${environmentName} are frozen${by} (${escapeMrkdwn(active.reason)}) until ${formatInstant(active.endsAt, active.timeZone)}.`;
}

export function checkFreeze(input: PolicyInput): Denied | undefined {
  const active = freezeInForce(input);
  if (!active) return undefined;
  return { allowed: false, rule: 'freeze', reason: describeFreeze(input.environment.name, active) };
}
