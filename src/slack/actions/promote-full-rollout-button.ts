import type { App } from '@slack/bolt';
import { ACTION_IDS } from '../../render/ids.js';
import { type RolloutButtonDeps, registerRolloutButton } from './rollout-button.js';

/** Promote fully (promote-full): skip the remaining steps. */
export function registerPromoteFullRolloutButton(bolt: App, deps: RolloutButtonDeps): void {
  registerRolloutButton(bolt, ACTION_IDS.rolloutPromoteFull, 'promote-full', deps);
}
