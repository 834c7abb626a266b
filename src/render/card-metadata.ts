import type { Card } from '../domain/card.js';

/** Slack message metadata: what other apps and workflows read from a message without parsing its blocks. */
export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, string>;
}

const CARD_METADATA_EVENT_TYPE = 'deploybot_card';

/**
 * The deploy card's metadata, sent on every post and update so it follows the card: the Argo CD
 * instance, the app, the full target sha, the environment and the card's state name.
 */
export function cardMetadata(
  card: Pick<Card, 'app' | 'revision' | 'environment' | 'state'>,
): MessageMetadata {
  return {
    event_type: CARD_METADATA_EVENT_TYPE,
    event_payload: {
      instance: card.app.instance,
      app: card.app.name,
      revision: card.revision,
      environment: card.environment,
      state: card.state,
    },
  };
}
