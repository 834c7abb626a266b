import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import type { RolloutActionService } from '../../deploy-actions/rollout-action.js';
import { parseRolloutPress } from '../../deploy-actions/rollout-action.js';
import { ROLLOUT_ACTION_LABELS, type RolloutAction } from '../../domain/rollout-view.js';
import type { Logger } from '../../logging/create-logger.js';
import { rolloutActionIds } from '../../render/card-rollouts.js';
import { clickOrigin } from './register-card-actions.js';
import { replyToClick } from './reply-to-click.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export interface RolloutButtonDeps {
  rollouts: RolloutActionService;
  logger: Logger;
}

/**
 * One Rollout button (`<base>_<row>`): ack at once, then run the action; the clicker alone is told a
 * refusal, the card and its thread show what ran. A value that does not parse is answered as a stale card.
 */
export function registerRolloutButton(
  bolt: App,
  base: string,
  action: RolloutAction,
  deps: RolloutButtonDeps,
): void {
  const label = ROLLOUT_ACTION_LABELS[action];
  const handle = async ({ ack, body, action: button, respond, client }: ButtonArgs) => {
    await ack();
    const press = parseRolloutPress(button.value);
    const log = deps.logger.child({ action: base, user: body.user.id, cardId: press?.cardId });
    const origin = { ...clickOrigin(body), log };
    const outcome = press
      ? await deps.rollouts.run(action, press, origin)
      : ({ kind: 'refused', message: 'This button is from an older card; nothing was run.' } as const);
    log.info({ outcome: outcome.kind, rollout: press?.rollout }, 'rollout action handled');
    await replyToClick(respond, outcome, label, log, {
      client,
      channel: origin.channel,
      user: origin.userId,
    });
  };
  for (const actionId of rolloutActionIds(base)) bolt.action<BlockAction<ButtonAction>>(actionId, handle);
}
