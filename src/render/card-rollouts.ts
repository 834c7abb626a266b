/**
 * The card's Argo Rollouts section: one line per Rollout (bounded), and for each Rollout that waits on a
 * person, its buttons. A button's value names the card, the Rollout and the step it was pressed for; the
 * bot trusts none of it (the step only lets it refuse a stale press, see deploy-actions/rollout-action.ts).
 */
import type { Card } from '../domain/card.js';
import {
  availableRolloutActions,
  describeRolloutState,
  describeRolloutStep,
  MAX_ROLLOUTS_SHOWN,
  type RolloutAction,
  type RolloutView,
  rolloutStepToken,
} from '../domain/rollout-view.js';
import {
  type ActionsBlock,
  actions,
  type Block,
  type ButtonElement,
  button,
  confirmDialog,
  section,
} from './block-kit.js';
import { ACTION_IDS } from './ids.js';
import { truncate } from './limits.js';
import { code, escapeMrkdwn, mentionUser, oneLine } from './mrkdwn.js';

/** The card states whose Rollouts can be acted on (the policy says the same, see decide-rollout.ts). */
const ACTIONABLE_STATES: ReadonlySet<string> = new Set(['syncing', 'succeeded', 'degraded']);

const PHASE_EMOJI: Record<RolloutView['phase'], string> = {
  Progressing: '🔄',
  Paused: '⏸️',
  Healthy: '✅',
  Degraded: '⚠️',
};

const ACTION_BUTTON_IDS: Record<RolloutAction, string> = {
  resume: ACTION_IDS.rolloutPromote,
  'promote-full': ACTION_IDS.rolloutPromoteFull,
  abort: ACTION_IDS.rolloutAbort,
  retry: ACTION_IDS.rolloutRetry,
};

const ACTION_PAST: Record<RolloutAction, string> = {
  resume: 'promoted',
  'promote-full': 'fully promoted',
  abort: 'aborted',
  retry: 'retried',
};

/**
 * A message's action ids must be distinct, so each Rollout's buttons carry its row: `rollout_promote_0`.
 * The listeners register each of `rolloutActionIds` of the base id.
 */
function rolloutActionId(base: string, index: number): string {
  return `${base}_${index}`;
}

/**
 * Every action id a base can take on a card (one per Rollout row shown). Listeners register these as
 * strings: Bolt matches a RegExp constraint with `action_id.match(...)`, which a signed payload with a
 * non-string action_id turned into a 500.
 */
export function rolloutActionIds(base: string): string[] {
  return Array.from({ length: MAX_ROLLOUTS_SHOWN }, (_, index) => rolloutActionId(base, index));
}

/** The button value: `<cardId>|<rolloutName>|<stepToken>` (names of Kubernetes objects hold no `|`). */
function rolloutButtonValue(cardId: string, view: RolloutView): string {
  return `${cardId}|${view.name}|${rolloutStepToken(view)}`;
}

export function describeRollout(view: RolloutView): string {
  const parts = [`${describeRolloutStep(view)}`, describeRolloutState(view)];
  const analysis = view.analysis.map((a) => `analysis ${a.phase}${a.name ? ` (${a.name})` : ''}`);
  return [...parts, ...analysis].join(' · ');
}

function rolloutLine(card: Card, view: RolloutView): string {
  const last = [...(card.rolloutActions ?? [])].reverse().find((a) => a.rollout === view.name);
  const by = last ? ` · ${ACTION_PAST[last.action]} by ${mentionUser(last.user)}` : '';
  const message =
    view.message && view.phase === 'Degraded'
      ? `\n      ${escapeMrkdwn(truncate(oneLine(view.message), 300))}`
      : '';
  return `${PHASE_EMOJI[view.phase]} ${code(truncate(view.name, 80))} ${escapeMrkdwn(describeRollout(view))}${by}${message}`;
}

function rolloutButton(card: Card, view: RolloutView, action: RolloutAction, index: number): ButtonElement {
  const name = truncate(view.name, 60);
  const value = rolloutButtonValue(card.id, view);
  const step = describeRolloutStep(view);
  switch (action) {
    case 'resume':
      return button({
        actionId: rolloutActionId(ACTION_BUTTON_IDS.resume, index),
        text: 'Promote',
        value,
        style: 'primary',
      });
    case 'promote-full':
      return button({
        actionId: rolloutActionId(ACTION_BUTTON_IDS['promote-full'], index),
        text: 'Promote fully',
        value,
        confirm: confirmDialog({
          title: 'Promote fully?',
          text: `Skip the remaining steps and analyses of ${name} (now ${step}) and send all traffic to the new version?`,
          confirm: 'Promote fully',
          deny: 'Cancel',
          style: 'primary',
        }),
      });
    case 'abort':
      return button({
        actionId: rolloutActionId(ACTION_BUTTON_IDS.abort, index),
        text: 'Abort',
        value,
        style: 'danger',
        confirm: confirmDialog({
          title: 'Abort the rollout?',
          text: `Abort ${name} at ${step}? All traffic goes back to the stable version.`,
          confirm: 'Abort rollout',
          deny: 'Keep going',
          style: 'danger',
        }),
      });
    default:
      return button({
        actionId: rolloutActionId(ACTION_BUTTON_IDS.retry, index),
        text: 'Retry rollout',
        value,
      });
  }
}

/** The Rollouts section of the card, or nothing when the app has no Rollout. */
export function renderRolloutBlocks(card: Card): Block[] {
  const views = (card.rollouts ?? []).slice(0, MAX_ROLLOUTS_SHOWN);
  if (views.length === 0) return [];
  const more = (card.rolloutCount ?? views.length) - views.length;
  const lines = views.map((view) => rolloutLine(card, view));
  if (more > 0) lines.push(`…and ${more} more Rollout${more === 1 ? '' : 's'} (see Argo CD)`);
  const blocks: Block[] = [section('card_rollouts', `*Rollouts*\n${lines.join('\n')}`)];
  if (!ACTIONABLE_STATES.has(card.state)) return blocks;
  views.forEach((view, index) => {
    const offered = availableRolloutActions(view);
    if (offered.length === 0) return;
    const block: ActionsBlock = actions(
      `card_rollout_actions_${index}`,
      offered.map((action) => rolloutButton(card, view, action, index)),
    );
    blocks.push(block);
  });
  return blocks;
}
