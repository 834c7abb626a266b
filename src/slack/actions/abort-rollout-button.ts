import type { App } from '@slack/bolt';
import { ACTION_IDS } from '../../render/ids.js';
import { type RolloutButtonDeps, registerRolloutButton } from './rollout-button.js';

/** Abort (abort): traffic back to the stable version; a freeze never blocks it. */
export function registerAbortRolloutButton(bolt: App, deps: RolloutButtonDeps): void {
  registerRolloutButton(bolt, ACTION_IDS.rolloutAbort, 'abort', deps);
}
