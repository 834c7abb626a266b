import type { AppRef } from '../domain/card.js';
import { resolveEnvironment } from '../domain/resolve-environment.js';
import type { Dispatcher } from '../inbound/dispatcher.js';
import type { Logger } from '../logging/create-logger.js';
import { CardPublisher } from './card-publisher.js';
import { CardRepository } from './card-repository.js';
import { CardService, type CardServiceDeps } from './card-service.js';
import { expireAndRemind } from './expire-and-remind.js';
import { Reconciler } from './reconciler.js';
import { createCardRenderer } from './render-card.js';
import { type FreezeDisplayDeps, showFreezeChanges } from './show-freeze-changes.js';

/** The card service's ports, plus where notifications come from and the shutdown hook. */
export interface CardsDeps extends CardServiceDeps {
  dispatcher: Dispatcher;
  /**
   * Takes the notification of an app that belongs to a fleet group (true: it is the fleet card's, and
   * the app gets no card of its own). Groups are matched before `apps` rules.
   */
  routeToFleet?: (app: AppRef, log: Logger) => boolean;
  /** Background work to stop on shutdown. */
  onShutdown(task: () => Promise<void>): void;
}

export interface CardsFeature {
  cards: CardService;
  reconciler: Reconciler;
}

/** Timing overrides (tests, the sandbox); production takes `reconcileInterval` from the policy file. */
export interface RegisterCardsOptions {
  reconcileIntervalMs?: number;
  enrichRetryMs?: number;
}

/** Argo CD notifications → per-app queue → card service; plus the reconciler. */
export function registerCards(ctx: CardsDeps, options: RegisterCardsOptions = {}): CardsFeature {
  const repo = new CardRepository(ctx.store);
  const publisher = new CardPublisher({
    repo,
    store: ctx.store,
    slack: ctx.slack,
    render: createCardRenderer(ctx, repo),
    logger: ctx.logger.child({ component: 'card-publisher' }),
    now: ctx.now,
  });
  const cards = new CardService(ctx, repo, publisher, { enrichRetryMs: options.enrichRetryMs });
  ctx.dispatcher.on('argocd.notification', async ({ notification, instance }, log) => {
    // The body is a hint: which app, where. What the app is, the refresh reads from Argo CD. Which
    // instance is the route's (the webhook secret that matched), never the body's.
    const locator: AppRef = {
      instance,
      name: notification.app,
      namespace: notification.appNamespace || 'argocd',
      project: notification.project || 'default',
    };
    if (ctx.routeToFleet?.(locator, log)) return;
    // Apps no policy rule covers get no card: skip the Argo CD read (the body's project is Argo's own).
    if (!resolveEnvironment(ctx.config.policy, locator)) {
      log.debug('no apps rule matches this application; ignored');
      return;
    }
    cards.requestRefresh(locator, { allowInfoCards: true, log });
  });
  const reconciler = new Reconciler(ctx, cards, {
    intervalMs: options.reconcileIntervalMs ?? ctx.config.policy.reconcileInterval,
    onTick: async () => {
      await expireAndRemind(ctx, cards);
      await showFreezeChanges(freezeDisplayDeps(ctx, cards));
    },
  });
  reconciler.start();
  ctx.onShutdown(async () => {
    await reconciler.stop();
    await cards.stop(5000);
  });
  return { cards, reconciler };
}

/** What the freeze display needs of the cards feature (also handed to `/deploy-freeze`). */
export function freezeDisplayDeps(
  ctx: Pick<CardsDeps, 'store' | 'config' | 'now'>,
  cards: CardService,
): FreezeDisplayDeps {
  return {
    store: ctx.store,
    repo: cards.repo,
    policy: ctx.config.policy,
    now: ctx.now,
    publish: (cardId) => cards.publish(cardId),
  };
}
