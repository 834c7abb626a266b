import type { AppContext } from '../app/context.js';
import type { CardService } from '../cards/card-service.js';
import type { OperationFollower } from '../cards/operation-follower.js';

/** What the action runners share: the app's ports, the cards and the operation follower. */
export interface ActionDeps {
  ctx: AppContext;
  cards: CardService;
  follower: OperationFollower;
}
