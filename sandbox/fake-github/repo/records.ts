/** What the fake keeps about GitHub objects that are not git objects. Controls hand out copies. */

export interface PullRecord {
  number: number;
  id: number;
  title: string;
  body: string | null;
  headRef: string;
  headSha: string;
  baseRef: string;
  baseSha: string;
  authorLogin: string;
  state: 'open' | 'closed';
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  closedAt: string | null;
  /** The commits the pull request carries, oldest first. */
  commits: string[];
  createdAt: string;
  updatedAt: string;
}

export type CheckRunStatus = 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
export type CheckRunConclusion =
  | 'success'
  | 'failure'
  | 'neutral'
  | 'cancelled'
  | 'skipped'
  | 'timed_out'
  | 'action_required'
  | null;

export interface CheckRunRecord {
  id: number;
  checkSuiteId: number;
  name: string;
  headSha: string;
  status: CheckRunStatus;
  conclusion: CheckRunConclusion;
  startedAt: string | null;
  completedAt: string | null;
  detailsUrl: string | null;
  appSlug: string;
}

export type CommitStatusState = 'error' | 'failure' | 'pending' | 'success';

export interface StatusRecord {
  id: number;
  context: string;
  state: CommitStatusState;
  description: string | null;
  targetUrl: string | null;
  createdAt: string;
  creatorLogin: string;
}

export type DeploymentState =
  | 'error'
  | 'failure'
  | 'inactive'
  | 'in_progress'
  | 'queued'
  | 'pending'
  | 'success';

export interface DeploymentStatusRecord {
  id: number;
  state: DeploymentState;
  description: string;
  environment: string;
  logUrl: string;
  environmentUrl: string;
  creatorLogin: string;
  createdAt: string;
}

export interface DeploymentRecord {
  id: number;
  sha: string;
  ref: string;
  task: string;
  payload: Record<string, unknown> | string;
  originalEnvironment: string;
  environment: string;
  description: string | null;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
  creatorLogin: string;
  createdAt: string;
  updatedAt: string;
  /** Oldest first (the API lists them newest first). */
  statuses: DeploymentStatusRecord[];
}
