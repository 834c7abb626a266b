import type { SlackClient } from '../clients/slack/slack-client.js';
import type { Config } from '../config/load-config.js';
import type { Card } from '../domain/card.js';
import { findFreezeInForce } from '../domain/freeze-window.js';
import { describeApprovers } from '../domain/policy/index.js';
import { hasPrincipals } from '../domain/policy/principals.js';
import { SlackFreezeStore } from '../freezes/slack-freeze-store.js';
import type { SlackMessage } from '../render/block-kit.js';
import type { CardRenderContext } from '../render/card-context.js';
import { cardMetadata, type MessageMetadata } from '../render/card-metadata.js';
import { renderDeployCard } from '../render/deploy-card.js';
import type { Store } from '../store/store.js';
import type { CardRepository } from './card-repository.js';

/** What this module needs from the composition root (a narrow port, not the app's bag). */
export interface RenderCardDeps {
  /** Base of Argo CD UI links of an instance (its `_UI_URL`, else its API URL). */
  argoUiUrl: (instance: string) => string;
  config: Config;
  now: () => number;
  slack: SlackClient;
  store: Store;
}

/** GitHub's web address for links, derived from the API base (github.com, GHES, or the sandbox). */
export function githubWebUrl(apiUrl: string): string {
  const trimmed = apiUrl.replace(/\/+$/, '');
  if (trimmed === 'https://api.github.com') return 'https://github.com';
  return trimmed.replace(/\/api\/v3$/, '');
}

/** Builds the render context from policy and clock, then renders the card. */
export function createCardRenderer(
  ctx: RenderCardDeps,
  repo: CardRepository,
): (card: Card) => Promise<SlackMessage & { metadata: MessageMetadata }> {
  const webUrl = githubWebUrl(ctx.config.env.GITHUB_API_URL);
  const slackFreezes = new SlackFreezeStore(ctx.store, ctx.now);
  return async (card) => {
    const environment = ctx.config.policy.environments[card.environment];
    const now = ctx.now();
    const slackFreeze = environment ? await slackFreezes.inForce(card.environment) : undefined;
    const frozen = environment
      ? findFreezeInForce(environment.freezes, slackFreeze ? [slackFreeze] : [], now)
      : undefined;
    let supersededPermalink: string | undefined;
    let supersededByRevision: string | undefined;
    if (card.supersededBy) {
      const newer = await repo.get(card.supersededBy.cardId);
      supersededByRevision = newer?.revision;
      if (newer?.ts) supersededPermalink = await ctx.slack.permalink(newer.channel, newer.ts);
    }
    const renderContext: CardRenderContext = {
      argoUiUrl: ctx.argoUiUrl(card.app.instance),
      githubWebUrl: card.repo ? webUrl : undefined,
      approvers: environment ? describeApprovers(environment.approvers) : 'nobody (no environment policy)',
      rollbackers: environment ? describeApprovers(environment.rollback) : undefined,
      now,
      expiresAt:
        environment && card.kind === 'approval' ? card.createdAt + environment.approvalTimeout : undefined,
      frozen: frozen ? { reason: frozen.reason, endsAt: frozen.endsAt, by: frozen.by } : undefined,
      breakGlass: environment ? hasPrincipals(environment.breakGlass) : false,
      supersededByRevision,
      supersededPermalink,
    };
    return { ...renderDeployCard(card, renderContext), metadata: cardMetadata(card) };
  };
}
