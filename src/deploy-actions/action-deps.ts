import type { CardService } from '../cards/card-service.js';
import type { OperationFollower } from '../cards/operation-follower.js';
import type { ArgoCdClient } from '../clients/argocd/argocd-client.js';
import type { SlackClient } from '../clients/slack/slack-client.js';
import type { Config } from '../config/load-config.js';
import type { Logger } from '../logging/create-logger.js';
import type { Store } from '../store/store.js';

/** The ports the action runners use: the store, the Argo CD and Slack clients, the policy and the clock. */
export interface ActionPorts {
  argocd: ArgoCdClient;
  config: Config;
  logger: Logger;
  now: () => number;
  slack: SlackClient;
  store: Store;
}

/** What the action runners share: the app's ports, the cards and the operation follower. */
export interface ActionDeps {
  ctx: ActionPorts;
  cards: CardService;
  follower: OperationFollower;
}
