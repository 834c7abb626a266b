/** One line of the audit log: who did or was refused what, on which app and card. Pure data. */

export interface AuditEntry {
  at: number;
  /** The app's name; `instance` says which Argo CD instance it is in. */
  app: string;
  /** The Argo CD instance of `app` (absent in entries written before instances were recorded: `default`). */
  instance?: string;
  action: string;
  outcome: string;
  user?: string;
  revision?: string;
  rule?: string;
  detail?: string;
  cardId?: string;
}

export interface StoredAuditEntry extends AuditEntry {
  id: string;
}

/** A refusal kept in the refusal log: the first of its (card, user, action, rule), and how often it recurred. */
export interface StoredDenialEntry extends StoredAuditEntry {
  /** Refusals of this user and action on this card so far, the first included. */
  count: number;
  /** When the latest of them happened (the entry's `at` is the first). */
  lastAt: number;
}
