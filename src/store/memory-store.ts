import { randomUUID } from 'node:crypto';
import { auditAppPart } from './keys.js';
import {
  AUDIT_CAP,
  type AuditEntry,
  type AuditQuery,
  type Store,
  type StoredAuditEntry,
  type StoredDenialEntry,
  type Versioned,
  type WriteResult,
} from './store.js';

interface Slot {
  value: unknown;
  version: number;
  expiresAt?: number;
}

/** Single-process store for the demo and for a one-replica install. */
export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  private readonly records = new Map<string, Slot>();
  private readonly sets = new Map<string, Set<string>>();
  private readonly timed = new Map<string, { scores: Map<string, number>; expiresAt: number }>();
  private readonly audit: StoredAuditEntry[] = [];
  private auditSeq = 0;
  /** The refusal log (first refusal of each card, user, action and rule) and the counts behind it. */
  private readonly denials: StoredAuditEntry[] = [];
  private readonly denialCounts = new Map<string, { count: number; lastAt: number; expiresAt: number }>();

  constructor(
    private readonly prefix = 'deploybot:',
    private readonly now: () => number = Date.now,
  ) {}

  private live(key: string): Slot | undefined {
    const slot = this.records.get(this.prefix + key);
    if (slot?.expiresAt !== undefined && slot.expiresAt <= this.now()) {
      this.records.delete(this.prefix + key);
      return undefined;
    }
    return slot;
  }

  async get<T>(key: string): Promise<Versioned<T> | undefined> {
    const slot = this.live(key);
    return slot ? { value: structuredClone(slot.value) as T, version: slot.version } : undefined;
  }

  async writeIfVersion<T>(
    key: string,
    value: T,
    expectedVersion: number,
    ttlMs?: number,
  ): Promise<WriteResult<T>> {
    const written = await this.compareAndSet(key, value, expectedVersion, ttlMs);
    return written === undefined ? { conflict: await this.get<T>(key) } : { written };
  }

  async compareAndSet<T>(
    key: string,
    value: T,
    expectedVersion: number,
    ttlMs?: number,
  ): Promise<number | undefined> {
    const current = this.live(key)?.version ?? 0;
    if (current !== expectedVersion) return undefined;
    const version = current + 1;
    this.records.set(this.prefix + key, {
      value: structuredClone(value),
      version,
      expiresAt: ttlMs ? this.now() + ttlMs : undefined,
    });
    return version;
  }

  async delete(key: string): Promise<void> {
    this.records.delete(this.prefix + key);
  }

  async markSeen(key: string, ttlMs: number): Promise<boolean> {
    if (this.live(`seen:${key}`)) return false;
    this.records.set(`${this.prefix}seen:${key}`, { value: 1, version: 1, expiresAt: this.now() + ttlMs });
    return true;
  }

  async unmarkSeen(key: string): Promise<void> {
    this.records.delete(`${this.prefix}seen:${key}`);
  }

  async acquireLock(key: string, ttlMs: number): Promise<string | undefined> {
    if (this.live(`lock:${key}`)) return undefined;
    const token = randomUUID();
    this.records.set(`${this.prefix}lock:${key}`, {
      value: token,
      version: 1,
      expiresAt: this.now() + ttlMs,
    });
    return token;
  }

  async renewLock(key: string, token: string, ttlMs: number): Promise<boolean> {
    const slot = this.live(`lock:${key}`);
    if (slot?.value !== token) return false;
    slot.expiresAt = this.now() + ttlMs;
    return true;
  }

  async releaseLock(key: string, token: string): Promise<boolean> {
    if (this.live(`lock:${key}`)?.value !== token) return false;
    this.records.delete(`${this.prefix}lock:${key}`);
    return true;
  }

  async addToSet(key: string, member: string): Promise<void> {
    const set = this.sets.get(key) ?? new Set<string>();
    set.add(member);
    this.sets.set(key, set);
  }

  async removeFromSet(key: string, member: string): Promise<void> {
    this.sets.get(key)?.delete(member);
  }

  async setMembers(key: string): Promise<string[]> {
    return [...(this.sets.get(key) ?? [])];
  }

  async addTimed(key: string, member: string, at: number, retentionMs: number, now: number): Promise<void> {
    const index = this.liveTimed(key) ?? { scores: new Map<string, number>(), expiresAt: 0 };
    index.scores.set(member, at);
    for (const [m, score] of index.scores) if (score < now - retentionMs) index.scores.delete(m);
    index.expiresAt = this.now() + retentionMs;
    this.timed.set(key, index);
  }

  async rangeTimed(key: string, from: number, to: number): Promise<string[]> {
    const index = this.liveTimed(key);
    if (!index) return [];
    return [...index.scores]
      .filter(([, score]) => score >= from && score <= to)
      .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
      .map(([member]) => member);
  }

  private liveTimed(key: string) {
    const index = this.timed.get(key);
    if (index && index.expiresAt <= this.now()) {
      this.timed.delete(key);
      return undefined;
    }
    return index;
  }

  async appendAudit(entry: AuditEntry): Promise<string> {
    const id = `${entry.at}-${this.auditSeq++}`;
    this.audit.push({ ...entry, id });
    if (this.audit.length > AUDIT_CAP) this.audit.splice(0, this.audit.length - AUDIT_CAP);
    return id;
  }

  async readAudit({ app, instance, limit }: AuditQuery): Promise<StoredAuditEntry[]> {
    const out: StoredAuditEntry[] = [];
    for (let i = this.audit.length - 1; i >= 0 && out.length < limit; i--) {
      const entry = this.audit[i]!;
      if (ofApp(entry, app, instance)) out.push({ ...entry });
    }
    return out;
  }

  async appendDenial(entry: AuditEntry & { cardId: string }, ttlMs: number): Promise<number> {
    const key = denialKey(entry);
    const live = this.liveDenialCount(key);
    const count = (live?.count ?? 0) + 1;
    this.denialCounts.set(key, { count, lastAt: entry.at, expiresAt: this.now() + ttlMs });
    if (count === 1) {
      this.denials.push({ ...entry, id: `${entry.at}-${this.auditSeq++}` });
      if (this.denials.length > AUDIT_CAP) this.denials.splice(0, this.denials.length - AUDIT_CAP);
    }
    return count;
  }

  async readDenials({ app, instance, limit }: AuditQuery): Promise<StoredDenialEntry[]> {
    const out: StoredDenialEntry[] = [];
    for (let i = this.denials.length - 1; i >= 0 && out.length < limit; i--) {
      const entry = this.denials[i]!;
      if (!ofApp(entry, app, instance)) continue;
      const live = this.liveDenialCount(denialKey(entry));
      out.push({ ...entry, count: live?.count ?? 1, lastAt: live?.lastAt ?? entry.at });
    }
    return out;
  }

  private liveDenialCount(key: string) {
    const slot = this.denialCounts.get(key);
    if (slot && slot.expiresAt <= this.now()) {
      this.denialCounts.delete(key);
      return undefined;
    }
    return slot;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}

function denialKey(entry: Pick<AuditEntry, 'cardId' | 'user' | 'action' | 'rule'>): string {
  return `${entry.cardId ?? ''}|${entry.user ?? ''}|${entry.action}|${entry.rule ?? ''}`;
}

/** The Redis store's per-app streams, as a filter: the same name on another instance is another app. */
function ofApp(entry: AuditEntry, app: string | undefined, instance: string | undefined): boolean {
  if (!app) return true;
  return auditAppPart(entry.app, entry.instance) === auditAppPart(app, instance);
}
