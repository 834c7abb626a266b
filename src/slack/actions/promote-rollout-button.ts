import type { App } from '@slack/bolt';
import { ACTION_IDS } from '../../render/ids.js';
import { type RolloutButtonDeps, registerRolloutButton } from './rollout-button.js';

/** Promote (resume): one step further. */
export function registerPromoteRolloutButton(bolt: App, deps: RolloutButtonDeps): void {
  registerRolloutButton(bolt, ACTION_IDS.rolloutPromote, 'resume', deps);
}
