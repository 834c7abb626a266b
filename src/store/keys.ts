/**
 * Every store key deploybot writes, in one place: what each record is, and one function of the app's
 * identity for all of them, so a new field of that identity (an Argo CD instance) changes them all at
 * once. The store adds its own prefix (REDIS_KEY_PREFIX) and kind (`seen:`, `lock:`, `set:`).
 */

import { DEFAULT_INSTANCE } from '../domain/card.js';

/** An Argo CD application as the keys name it. */
export interface AppKeyParts {
  instance: string;
  namespace: string;
  name: string;
}

/**
 * One app, in every key and in-process queue that is per app: `<namespace>/<name>` in the default
 * instance (the format from before instances, so stored cards, locks and indexes stay reachable after an
 * upgrade), `<instance>/<namespace>/<name>` in any other. Argo CD's namespaces and names hold no `/`,
 * so a default app's two parts do not read as another instance's three.
 */
export function appId(app: AppKeyParts): string {
  return app.instance === DEFAULT_INSTANCE
    ? `${app.namespace}/${app.name}`
    : `${app.instance}/${app.namespace}/${app.name}`;
}

/**
 * The per-app audit stream's name part: the app name in the default instance (as before instances),
 * `<instance>/<name>` in any other, so eu's and us's "api" keep two audits.
 */
export function auditAppPart(name: string, instance: string | undefined): string {
  return instance === undefined || instance === DEFAULT_INSTANCE ? name : `${instance}/${name}`;
}

export const storeKeys = {
  /** The card record (JSON, versioned). */
  card: (cardId: string) => `card:${cardId}`,
  /** Which card is the one of (app, revision): written once, so two replicas cannot post two cards. */
  cardIndex: (app: AppKeyParts, revision: string) => `card-index:${appId(app)}:${revision}`,
  /** The card that currently speaks for the app (its newest target). */
  appCurrent: (app: AppKeyParts) => `app-current:${appId(app)}`,
  /** Set of the cards that are still followed (not retired). */
  activeCards: 'cards:active',
  /** Time-ordered index of the cards made for a commit (CI events name a commit, not an app). */
  revisionCards: (revision: string) => `cards:revision:${revision}`,
  /** Lock: one action at a time per app (sync, rollback, abort, revert). */
  appLock: (app: AppKeyParts) => `app:${appId(app)}`,
  /** Lock: one replica posts a card's first message. */
  postLock: (cardId: string) => `post:${cardId}`,
  /** Lock: one revert pull request per card at a time. */
  revertLock: (cardId: string) => `revert:${cardId}`,
  /** Lock: the reconciler's leader among replicas (its heartbeat record is `<key>:heartbeat`). */
  reconcilerLeader: 'reconciler:leader',
  /** Seen mark: at most one refusal note per user and card. */
  denialNote: (cardId: string, user: string) => `denial-note:${cardId}:${user}`,
  /** Seen mark: a Slack request signature, used once (replay refusal). */
  slackSignature: (signature: string) => `slack-sig:${signature}`,
  /** Seen mark: a Slack Events API event_id, handled once (over HTTP and over the socket). */
  slackEvent: (eventId: string) => `slack-event:${eventId}`,
  /** Seen mark: a Socket Mode envelope (sha256 of its payload), handled once. */
  slackEnvelope: (payloadHash: string) => `slack-envelope:${payloadHash}`,
  /** Seen mark: a GitHub delivery id, handled once. */
  githubDelivery: (deliveryId: string) => `github:${deliveryId}`,
  /** Seen mark: the replica that creates the card's GitHub Deployment. */
  githubDeploymentClaim: (cardId: string) => `gh-deployment:${cardId}`,
  /** Seen mark: one GitHub Deployment status per (card, state, transition). */
  githubDeploymentStatusClaim: (cardId: string, state: string, from: string) =>
    `gh-deployment-status:${cardId}:${state}:${from}`,
  /** The app's latest GitHub Deployment (to mark it inactive when the next one replaces it). */
  githubDeploymentLast: (app: AppKeyParts) => `gh-deployment-last:${appId(app)}`,
  /** Seen mark: an Argo CD notification, by what its retries and oncePer re-sends share. */
  argocdNotification: (
    app: AppKeyParts,
    n: { event: string; revision: string; startedAt: string; phase: string; health: string },
  ) => `argocd:${n.event}:${appId(app)}:${n.revision}:${n.startedAt}:${n.phase}:${n.health}`,
  /**
   * A freeze declared from Slack for a whole environment (JSON, versioned, TTL = until it ends): every
   * replica reads it at decision time, and it removes itself when it ends.
   */
  slackFreeze: (environment: string) => `freeze:${environment}`,
  /** What the open cards of an environment last showed of its freezes (so a start or end re-renders them once). */
  freezeShown: (environment: string) => `freeze-shown:${environment}`,
  /** Time-ordered index (90 days): the compact deploy records of one environment, scored by when. */
  deployRecords: (environment: string) => `deploys:${environment}`,
  /** Seen mark: one deploy record per (card, outcome), whichever replica saw the transition. */
  deployRecordClaim: (recordId: string) => `deploy-record:${recordId}`,
  /** Seen mark: the one pass over a deploy's authors (a recovery from Degraded is no new deploy). */
  authorDmPass: (cardId: string) => `author-dms:${cardId}`,
  /** Seen mark: one author DM per (card, Slack user), across replicas and restarts. */
  authorDm: (cardId: string, user: string) => `author-dm:${cardId}:${user}`,
  /** Record: the user said `/deploy-status notify off` (absent = notified). */
  notifyOptOut: (user: string) => `notify-off:${user}`,
  /** A fleet card record (JSON, versioned): one per (group, revision). */
  fleetCard: (cardId: string) => `fleet:${cardId}`,
  /** Which fleet card is the one of (group, revision): written once, so two replicas cannot post two. */
  fleetIndex: (group: string, revision: string) => `fleet-index:${group}:${revision}`,
  /** The fleet card that speaks for the group now (its newest target). */
  fleetCurrent: (group: string) => `fleet-current:${group}`,
  /** Set of the fleet cards not finished yet (the wave runner's sweep reads it after a restart). */
  fleetActive: 'fleets:active',
  /** Seen mark: the one sync of an app for a fleet card (per attempt: Retry is a new attempt). */
  fleetSyncClaim: (cardId: string, member: string, attempt: number) =>
    `fleet-sync:${cardId}:${member}:${attempt}`,
  /** Seen mark: the one rollback of an app for a fleet card. */
  fleetRollbackClaim: (cardId: string, member: string) => `fleet-rollback:${cardId}:${member}`,
  /** Seen mark: the one chat.update of a fleet card in one second, across replicas. */
  fleetUpdateSlot: (cardId: string, second: number) => `fleet-update:${cardId}:${second}`,
  /** Seen mark: the one release announcement of a fleet card, whichever replica saw it succeed. */
  fleetReleaseClaim: (cardId: string) => `fleet-release:${cardId}`,
  /** Lock: the one replica running a fleet card's waves (renewed while it runs; a dead holder's expires). */
  fleetRunner: (cardId: string) => `fleet-run:${cardId}`,
  /** Counter: `/deploy-status` answers of a user in one window. */
  statusRate: (user: string, windowIndex: number) => `status-rate:${user}:${windowIndex}`,
} as const;
