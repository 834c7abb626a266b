/** One application as `/deploy-status` shows it, and the pure rules that rank and count them. */
import type { AppRef, CardState } from './card.js';

/** What needs a human, most urgent first; `undefined` on a row means all is well. */
export type AppProblem =
  | 'degraded'
  | 'failed'
  | 'expired'
  | 'waiting'
  | 'out-of-sync'
  | 'progressing'
  | 'unknown';

export const PROBLEM_ORDER: readonly AppProblem[] = [
  'degraded',
  'failed',
  'expired',
  'waiting',
  'out-of-sync',
  'progressing',
  'unknown',
];

/** Problems that count as "needs attention" in the per-environment totals. */
export const ATTENTION: ReadonlySet<AppProblem> = new Set([
  'degraded',
  'failed',
  'expired',
  'waiting',
  'out-of-sync',
]);

/** The app's open card (its current target), when one is not finished yet or ended without deploying. */
export interface OpenCardRef {
  cardId: string;
  revision: string;
  state: CardState;
  channel: string;
  ts?: string;
  approvals: string[];
  requiredApprovals: number;
  createdAt: number;
  subject?: string;
  syncWindow?: { blocked: boolean; description: string };
}

interface DeployedRevision {
  sha: string;
  /** Epoch ms of the deploy, from Argo CD's history. */
  at?: number;
  initiatedBy?: string;
  automated?: boolean;
}

export interface StatusRow {
  app: AppRef;
  environment: string;
  autoSync: boolean;
  syncStatus?: string;
  health?: string;
  healthMessage?: string;
  operation?: { phase: string; message?: string; revision?: string };
  operationRunning: boolean;
  deployed?: DeployedRevision;
  /** What Argo CD wants to run (differs from `deployed` while OutOfSync). */
  targetRevision?: string;
  repo?: { owner: string; name: string };
  images: string[];
  open?: OpenCardRef;
  problem?: AppProblem;
}

/** Details read only for the rows on the page being answered. */
export interface StatusRowDetail extends StatusRow {
  subject?: string;
  /** Slack ids of the approvers of the card that deployed `deployed.sha`. */
  deployedBy: string[];
  /** Set when the deploy came from auto-sync or a person outside Slack. */
  deployedVia?: string;
  openPermalink?: string;
  syncWindow?: { blocked: boolean; description: string };
}

const OPEN_STATES: ReadonlySet<CardState> = new Set([
  'pending',
  'approved',
  'syncing',
  'failed',
  'expired',
  'degraded',
  'rolling-back',
]);

/** An open card is worth a link: it waits, runs, failed or expired; a succeeded one is just the deploy. */
export function isOpenCardState(state: CardState): boolean {
  return OPEN_STATES.has(state);
}

export function classifyRow(row: Omit<StatusRow, 'problem'>): AppProblem | undefined {
  const health = row.health;
  if (health === 'Degraded' || health === 'Missing') return 'degraded';
  const phase = row.operation?.phase;
  if (!row.operationRunning && (phase === 'Failed' || phase === 'Error')) return 'failed';
  if (row.open?.state === 'failed') return 'failed';
  if (row.open?.state === 'degraded') return 'degraded';
  if (row.syncStatus === 'OutOfSync') {
    if (row.open?.state === 'expired') return 'expired';
    if (row.open && (row.open.state === 'pending' || row.open.state === 'approved')) return 'waiting';
    if (row.operationRunning || row.open?.state === 'syncing') return 'progressing';
    return 'out-of-sync';
  }
  if (row.operationRunning || health === 'Progressing' || row.open?.state === 'syncing') return 'progressing';
  if (!health || health === 'Unknown' || row.syncStatus === 'Unknown') return 'unknown';
  return undefined;
}

function rank(problem: AppProblem | undefined): number {
  return problem === undefined ? PROBLEM_ORDER.length : PROBLEM_ORDER.indexOf(problem);
}

/** Problems first (most urgent first), then by environment and name so pages are stable. */
export function compareRows(a: StatusRow, b: StatusRow): number {
  return (
    rank(a.problem) - rank(b.problem) ||
    a.environment.localeCompare(b.environment) ||
    a.app.name.localeCompare(b.app.name) ||
    a.app.namespace.localeCompare(b.app.namespace)
  );
}

export interface EnvironmentCount {
  environment: string;
  total: number;
  attention: number;
  problems: Partial<Record<AppProblem, number>>;
}

/** Totals per environment, the ones needing attention first. */
export function countByEnvironment(rows: readonly StatusRow[]): EnvironmentCount[] {
  const counts = new Map<string, EnvironmentCount>();
  for (const row of rows) {
    let count = counts.get(row.environment);
    if (!count) {
      count = { environment: row.environment, total: 0, attention: 0, problems: {} };
      counts.set(row.environment, count);
    }
    count.total += 1;
    if (row.problem) {
      count.problems[row.problem] = (count.problems[row.problem] ?? 0) + 1;
      if (ATTENTION.has(row.problem)) count.attention += 1;
    }
  }
  return [...counts.values()].sort(
    (a, b) => b.attention - a.attention || b.total - a.total || a.environment.localeCompare(b.environment),
  );
}
