/**
 * The deploy records in the store: one time-ordered index per environment (a Redis sorted set of the
 * records' JSON, scored by when), trimmed to 90 days on every write and expiring 90 days after the last.
 */
import { z } from 'zod';
import { DEPLOY_RESULTS, type DeployRecord } from '../domain/deploy-record.js';
import { storeKeys } from '../store/keys.js';
import type { Store } from '../store/store.js';

export const DEPLOY_RECORD_RETENTION_MS = 90 * 86_400_000;

const recordSchema = z.object({
  id: z.string(),
  cardId: z.string(),
  instance: z.string(),
  environment: z.string(),
  app: z.string(),
  revision: z.string(),
  result: z.enum(DEPLOY_RESULTS as [DeployRecord['result'], ...DeployRecord['result'][]]),
  at: z.number(),
  firstCommitAt: z.number().optional(),
  postedAt: z.number().optional(),
  approvedAt: z.number().optional(),
});

/** What stats and the recorder need of the records: write one, read an environment's over a period. */
export interface DeployRecordStore {
  /** Stores the record once, whichever replica asks (false: already stored). */
  add(record: DeployRecord): Promise<boolean>;
  read(environments: readonly string[], from: number, to: number): Promise<DeployRecord[]>;
}

export function createDeployRecordStore(store: Store, now: () => number): DeployRecordStore {
  return {
    async add(record) {
      const claim = storeKeys.deployRecordClaim(record.id);
      if (!(await store.markSeen(claim, DEPLOY_RECORD_RETENTION_MS))) return false;
      try {
        await store.addTimed(
          storeKeys.deployRecords(record.environment),
          JSON.stringify(record),
          record.at,
          DEPLOY_RECORD_RETENTION_MS,
          now(),
        );
      } catch (error) {
        // Not stored: let a later try (another replica, a re-sent notification) record it.
        await store.unmarkSeen(claim).catch(() => {});
        throw error;
      }
      return true;
    },
    async read(environments, from, to) {
      const lists = await Promise.all(
        environments.map((env) => store.rangeTimed(storeKeys.deployRecords(env), from, to)),
      );
      const records: DeployRecord[] = [];
      for (const raw of lists.flat()) {
        try {
          const parsed = recordSchema.safeParse(JSON.parse(raw));
          if (parsed.success) records.push(parsed.data as DeployRecord);
        } catch {
          // A member that is not JSON was not written by us: skipped.
        }
      }
      return records;
    },
  };
}
