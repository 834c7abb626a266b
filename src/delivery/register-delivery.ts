/**
 * Delivery feedback (issue 18): deploy records and metrics from card transitions, author DMs, and the
 * ports `/deploy-status stats` and `notify` use. Wired with narrow ports, never the whole app context.
 */
import type { Registry } from 'prom-client';
import type { SlackClient } from '../clients/slack/slack-client.js';
import type { Policy } from '../config/policy-schema.js';
import type { CardChange } from '../domain/deploy-record.js';
import type { Logger } from '../logging/create-logger.js';
import type { Store } from '../store/store.js';
import { AuthorNotifier } from './author-notifier.js';
import { createDeliveryMetrics } from './delivery-metrics.js';
import { DeliveryRecorder } from './delivery-recorder.js';
import { createDeployRecordStore, type DeployRecordStore } from './deploy-records.js';
import { createNotifyPreferences, type NotifyPreferences } from './notify-preferences.js';

export interface DeliveryDeps {
  store: Store;
  slack: SlackClient;
  policy: Pick<Policy, 'environments' | 'people'>;
  logger: Logger;
  now: () => number;
  registry: Registry;
  /** Card transitions, on whichever replica made them. */
  onTransition(listener: (change: CardChange) => void): void;
  onShutdown(task: () => Promise<void>): void;
  githubWebUrl?: string;
}

export interface DeliveryFeature {
  records: DeployRecordStore;
  preferences: NotifyPreferences;
  recorder: DeliveryRecorder;
  authors: AuthorNotifier;
}

export function registerDelivery(deps: DeliveryDeps): DeliveryFeature {
  const logger = deps.logger.child({ component: 'delivery' });
  const records = createDeployRecordStore(deps.store, deps.now);
  const preferences = createNotifyPreferences(deps.store, deps.now);
  const recorder = new DeliveryRecorder({
    records,
    metrics: createDeliveryMetrics(deps.registry),
    logger,
    now: deps.now,
  });
  const authors = new AuthorNotifier({
    policy: deps.policy,
    slack: deps.slack,
    store: deps.store,
    preferences,
    logger,
    githubWebUrl: deps.githubWebUrl,
  });
  deps.onTransition((change) => {
    recorder.onTransition(change);
    authors.onTransition(change);
  });
  deps.onShutdown(() => Promise.all([recorder.idle(), authors.idle()]).then(() => {}));
  return { records, preferences, recorder, authors };
}
