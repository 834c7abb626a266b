/**
 * The compact record deploybot keeps of each deploy outcome, for delivery stats (DORA) and metrics: a few
 * hundred bytes, never the card. Pure: which records a card transition makes.
 */
import { type Card, DEPLOYED_STATES } from './card.js';

/**
 * `succeeded`: the card's sync succeeded (a deploy); `failed`: its sync failed; `rolled-back`: Argo CD
 * rolled it back; `reverted`: a revert pull request was opened for it. The last three mark a failure.
 */
export type DeployResult = 'succeeded' | 'failed' | 'rolled-back' | 'reverted';

export const DEPLOY_RESULTS: readonly DeployResult[] = ['succeeded', 'failed', 'rolled-back', 'reverted'];

export interface DeployRecord {
  /** Unique per outcome: `<cardId>:<result>`, a failed sync also carries its time (Retry may fail again). */
  id: string;
  cardId: string;
  instance: string;
  environment: string;
  app: string;
  /** The card's full target SHA. */
  revision: string;
  result: DeployResult;
  /** When the outcome happened (ms): deployed at for `succeeded`. */
  at: number;
  /** Author date of the change's oldest commit that the card knows (lead time starts here). */
  firstCommitAt?: number;
  /** When the card was posted (approval wait starts here); approval cards only. */
  postedAt?: number;
  /** When the approval that let the sync run was given; approval cards only. */
  approvedAt?: number;
}

export interface CardChange {
  before: Card;
  after: Card;
}

const parseTime = (text: string | undefined): number | undefined => {
  const ms = text ? Date.parse(text) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
};

/** The oldest author date among the change's commits (newest first, possibly capped: then a later one). */
function firstCommitAt(card: Card): number | undefined {
  let oldest: number | undefined;
  for (const commit of card.changelog.commits) {
    const at = parseTime(commit.date);
    if (at !== undefined && (oldest === undefined || at < oldest)) oldest = at;
  }
  return oldest;
}

function recordOf(card: Card, result: DeployResult, at: number, id: string): DeployRecord {
  const approval = card.kind === 'approval' ? card.approvals.at(-1) : undefined;
  const record: DeployRecord = {
    id,
    cardId: card.id,
    instance: card.app.instance,
    environment: card.environment,
    app: card.app.name,
    revision: card.revision,
    result,
    at,
  };
  const first = result === 'succeeded' ? firstCommitAt(card) : undefined;
  if (first !== undefined) record.firstCommitAt = first;
  if (card.kind === 'approval') record.postedAt = card.createdAt;
  if (approval) record.approvedAt = approval.at;
  return record;
}

/**
 * The records a transition makes, usually none. A deploy is the card's first arrival in a deployed state
 * (a failed rollback that leaves it deployed is none); a failed sync, a finished rollback and a revert
 * pull request are recorded when they first appear.
 */
export function deployRecordsFor({ before, after }: CardChange, now: number): DeployRecord[] {
  const records: DeployRecord[] = [];
  const finished = parseTime(after.operation?.finishedAt) ?? now;
  if (
    DEPLOYED_STATES.has(after.state) &&
    !DEPLOYED_STATES.has(before.state) &&
    before.state !== 'rolling-back'
  )
    records.push(recordOf(after, 'succeeded', finished, `${after.id}:succeeded`));
  if (after.state === 'failed' && before.state !== 'failed')
    records.push(recordOf(after, 'failed', finished, `${after.id}:failed:${finished}`));
  if (after.state === 'rolled-back' && before.state !== 'rolled-back')
    records.push(recordOf(after, 'rolled-back', finished, `${after.id}:rolled-back`));
  if (after.revertPr && !before.revertPr)
    records.push(recordOf(after, 'reverted', now, `${after.id}:reverted`));
  return records;
}
