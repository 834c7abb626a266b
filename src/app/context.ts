import type { App } from '@slack/bolt';
import type { ArgoCdClient } from '../clients/argocd/argocd-client.js';
import type { GitHubClient } from '../clients/github/github-client.js';
import type { SlackClient } from '../clients/slack/slack-client.js';
import type { Config } from '../config/load-config.js';
import type { Dispatcher } from '../inbound/dispatcher.js';
import type { Logger } from '../logging/create-logger.js';
import type { Store } from '../store/store.js';

/** What every feature gets from the composition root: ports, config and the clock. */
export interface AppContext {
  config: Config;
  logger: Logger;
  store: Store;
  argocd: ArgoCdClient;
  github?: GitHubClient;
  slack: SlackClient;
  bolt: App;
  dispatcher: Dispatcher;
  now: () => number;
  /** Base of Argo CD UI links of an instance (its `_UI_URL`, else its API URL). */
  argoUiUrl: (instance: string) => string;
  /** Background work to stop on shutdown (queues, followers, the reconciler). */
  onShutdown(task: () => Promise<void>): void;
}
