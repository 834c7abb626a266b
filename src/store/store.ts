/** The one persistence port. Redis in production (any number of replicas), memory for the demo (one replica). */

export interface Versioned<T> {
  value: T;
  version: number;
}

// The audit entry is domain data (rendered by the pure status answer); the store keeps it.
import type { AuditEntry, StoredAuditEntry, StoredDenialEntry } from '../domain/audit-entry.js';

export type { AuditEntry, StoredAuditEntry, StoredDenialEntry };

/** A version-checked write: the new version, or the record that is there instead (undefined: none). */
export type WriteResult<T> = { written: number } | { conflict: Versioned<T> | undefined };

export interface Store {
  readonly kind: 'redis' | 'memory';
  /** Reads a record with its version (for compare-and-set). */
  get<T>(key: string): Promise<Versioned<T> | undefined>;
  /**
   * Writes when the stored version equals `expectedVersion` (0 = the key must not exist).
   * Returns the new version, or undefined when someone else wrote first. A write that the client sent
   * again after a lost reply (ioredis does) reports its own earlier success, never a conflict.
   */
  compareAndSet<T>(
    key: string,
    value: T,
    expectedVersion: number,
    ttlMs?: number,
  ): Promise<number | undefined>;
  /**
   * compareAndSet that, when someone else wrote first, returns the record as it is now in the same round
   * trip, so a retried change needs no separate read.
   */
  writeIfVersion<T>(key: string, value: T, expectedVersion: number, ttlMs?: number): Promise<WriteResult<T>>;
  delete(key: string): Promise<void>;
  /** True the first time a key is seen within its TTL (SET NX EX): the dedup primitive. */
  markSeen(key: string, ttlMs: number): Promise<boolean>;
  /** Forgets a seen mark (when the work it guarded could not be handed off). */
  unmarkSeen(key: string): Promise<void>;
  /**
   * Returns an owner token (unique per call), or undefined when someone else holds the lock. Like
   * markSeen, a resent call whose first copy succeeded finds its own token and succeeds.
   */
  acquireLock(key: string, ttlMs: number): Promise<string | undefined>;
  /** Extends a lock only its owner holds. */
  renewLock(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Releases a lock only its owner holds. */
  releaseLock(key: string, token: string): Promise<boolean>;
  /** Sets membership, for indexes such as "cards still syncing". */
  addToSet(key: string, member: string): Promise<void>;
  removeFromSet(key: string, member: string): Promise<void>;
  setMembers(key: string): Promise<string[]>;
  /**
   * Adds `member` to a time-ordered index under the score `at` (ms), drops the members older than
   * `retentionMs` before `now`, and lets the whole index expire `retentionMs` after its last write.
   * Adding the same member again changes nothing (a resent call is harmless).
   */
  addTimed(key: string, member: string, at: number, retentionMs: number, now: number): Promise<void>;
  /** Members of a time-ordered index scored within [from, to], oldest first. */
  rangeTimed(key: string, from: number, to: number): Promise<string[]>;
  /** Appends to the append-only audit log (global and per app), capped. */
  appendAudit(entry: AuditEntry): Promise<string>;
  /** Newest first. */
  readAudit(query: AuditQuery): Promise<StoredAuditEntry[]>;
  /**
   * Counts a refusal and returns how many of this (card, user, action, rule) there were so far, this one
   * included; the counts live `ttlMs` (the card's lifetime). Only the first is appended to the refusal
   * log (global and per app, capped), which is apart from the decisions `appendAudit` keeps: no number
   * of refused clicks can push an approval, a sync or a rollback out of the audit.
   */
  appendDenial(entry: AuditEntry & { cardId: string }, ttlMs: number): Promise<number>;
  /** The refusal log, newest first, each entry with its current count. */
  readDenials(query: AuditQuery): Promise<StoredDenialEntry[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Whose audit: one app (of `instance`, default `default`), or every app without `app`. */
export interface AuditQuery {
  app?: string;
  instance?: string;
  limit: number;
}

export const AUDIT_CAP = 10_000;

/** Thrown when the store cannot be reached; callers fail closed and tell the user to try again. */
export class StoreUnavailableError extends Error {
  readonly code = 'store_unavailable';
  constructor(cause: unknown) {
    super('the state store (Redis) is unreachable', { cause });
  }
}
