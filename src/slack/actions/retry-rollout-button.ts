import type { App } from '@slack/bolt';
import { ACTION_IDS } from '../../render/ids.js';
import { type RolloutButtonDeps, registerRolloutButton } from './rollout-button.js';

/** Retry (retry): start an aborted rollout over. */
export function registerRetryRolloutButton(bolt: App, deps: RolloutButtonDeps): void {
  registerRolloutButton(bolt, ACTION_IDS.rolloutRetry, 'retry', deps);
}
