/**
 * A month of deploy history for the demo, so `/deploy-status stats` has something to show from the first
 * minute: daily-ish deploys of the sandbox's apps, one rollback and one failed sync in prod. Deterministic
 * (no randomness), written through the bot's own deploy record store.
 */
import type { DeployRecord } from '../../src/domain/deploy-record.js';

const H = 3_600_000;
const DAY = 24 * H;

interface SeedApp {
  app: string;
  environment: string;
  /** Deploy every `everyDays` days, at this hour offset. */
  everyDays: number;
  approval: boolean;
}

const APPS: SeedApp[] = [
  { app: 'event-ingestion-prod', environment: 'prod', everyDays: 2, approval: true },
  { app: 'kafka-prod', environment: 'prod', everyDays: 7, approval: false },
  { app: 'event-ingestion-dev', environment: 'dev', everyDays: 1, approval: false },
  { app: 'kafka-dev', environment: 'dev', everyDays: 3, approval: false },
];

/** The records of the 30 days before `now`, oldest first. */
export function demoDeliveryHistory(now: number): DeployRecord[] {
  const records: DeployRecord[] = [];
  let n = 0;
  for (const seed of APPS) {
    for (let day = 30; day >= 1; day -= seed.everyDays) {
      n++;
      // Lead times vary from about 1 h to 2 days, approval waits from 5 min to 3 h, by day.
      const at = now - day * DAY + ((n * 7) % 9) * H;
      const lead = (1 + ((n * 13) % 48)) * H;
      const cardId = `demo-history-${n}`;
      const record: DeployRecord = {
        id: `${cardId}:succeeded`,
        cardId,
        instance: 'default',
        environment: seed.environment,
        app: seed.app,
        revision: n.toString(16).padStart(40, '0'),
        result: 'succeeded',
        at,
        firstCommitAt: at - lead,
      };
      if (seed.approval) {
        record.postedAt = at - ((n * 11) % 180) * 60_000 - 10 * 60_000;
        record.approvedAt = record.postedAt + ((n * 17) % 170) * 60_000 + 5 * 60_000;
      }
      records.push(record);
      // Day 12: a prod deploy that was rolled back 40 minutes later (restored by the next deploy).
      if (seed.app === 'event-ingestion-prod' && day === 12)
        records.push({ ...record, id: `${cardId}:rolled-back`, result: 'rolled-back', at: at + 40 * 60_000 });
      // Day 20: the following change's sync failed once.
      if (seed.app === 'event-ingestion-prod' && day === 20)
        records.push({
          ...record,
          id: `${cardId}-next:failed:${at + 5 * H}`,
          cardId: `${cardId}-next`,
          result: 'failed',
          at: at + 5 * H,
        });
    }
  }
  return records.sort((a, b) => a.at - b.at);
}
