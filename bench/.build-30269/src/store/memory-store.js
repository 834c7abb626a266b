import { randomUUID } from 'node:crypto';
import { AUDIT_CAP } from './store.js';
/** Single-process store for the demo and for a one-replica install. */
export class MemoryStore {
    prefix;
    now;
    kind = 'memory';
    records = new Map();
    sets = new Map();
    audit = [];
    auditSeq = 0;
    constructor(prefix = 'deploybot:', now = Date.now) {
        this.prefix = prefix;
        this.now = now;
    }
    live(key) {
        const slot = this.records.get(this.prefix + key);
        if (slot?.expiresAt !== undefined && slot.expiresAt <= this.now()) {
            this.records.delete(this.prefix + key);
            return undefined;
        }
        return slot;
    }
    async get(key) {
        const slot = this.live(key);
        return slot ? { value: structuredClone(slot.value), version: slot.version } : undefined;
    }
    async compareAndSet(key, value, expectedVersion, ttlMs) {
        const current = this.live(key)?.version ?? 0;
        if (current !== expectedVersion)
            return undefined;
        const version = current + 1;
        this.records.set(this.prefix + key, {
            value: structuredClone(value),
            version,
            expiresAt: ttlMs ? this.now() + ttlMs : undefined,
        });
        return version;
    }
    async delete(key) {
        this.records.delete(this.prefix + key);
    }
    async markSeen(key, ttlMs) {
        if (this.live(`seen:${key}`))
            return false;
        this.records.set(`${this.prefix}seen:${key}`, { value: 1, version: 1, expiresAt: this.now() + ttlMs });
        return true;
    }
    async unmarkSeen(key) {
        this.records.delete(`${this.prefix}seen:${key}`);
    }
    async acquireLock(key, ttlMs) {
        if (this.live(`lock:${key}`))
            return undefined;
        const token = randomUUID();
        this.records.set(`${this.prefix}lock:${key}`, {
            value: token,
            version: 1,
            expiresAt: this.now() + ttlMs,
        });
        return token;
    }
    async renewLock(key, token, ttlMs) {
        const slot = this.live(`lock:${key}`);
        if (slot?.value !== token)
            return false;
        slot.expiresAt = this.now() + ttlMs;
        return true;
    }
    async releaseLock(key, token) {
        if (this.live(`lock:${key}`)?.value !== token)
            return false;
        this.records.delete(`${this.prefix}lock:${key}`);
        return true;
    }
    async addToSet(key, member) {
        const set = this.sets.get(key) ?? new Set();
        set.add(member);
        this.sets.set(key, set);
    }
    async removeFromSet(key, member) {
        this.sets.get(key)?.delete(member);
    }
    async setMembers(key) {
        return [...(this.sets.get(key) ?? [])];
    }
    async appendAudit(entry) {
        const id = `${entry.at}-${this.auditSeq++}`;
        this.audit.push({ ...entry, id });
        if (this.audit.length > AUDIT_CAP)
            this.audit.splice(0, this.audit.length - AUDIT_CAP);
        return id;
    }
    async readAudit({ app, limit }) {
        const out = [];
        for (let i = this.audit.length - 1; i >= 0 && out.length < limit; i--) {
            const entry = this.audit[i];
            if (!app || entry.app === app)
                out.push({ ...entry });
        }
        return out;
    }
    async ping() { }
    async close() { }
}
