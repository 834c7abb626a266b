import type { RepoRef } from './github-client.js';

export interface RevertRequest {
  repo: RepoRef;
  /** The branch the app tracks; undefined or "HEAD" means the repository's default branch. */
  branch?: string;
  /** The app's manifest path, restored as it was at `toRevision`. */
  path: string;
  toRevision: string;
  fromRevision: string;
  app: string;
  requestedBy: string;
}

export interface RevertPullRequest {
  url: string;
  number: number;
  branch: string;
}

/** Opens a pull request that restores a path to an earlier revision (git data API, never a force push). */
export type OpenRevertPullRequest = (request: RevertRequest) => Promise<RevertPullRequest>;

/** The path already matches the earlier revision at the branch head: a pull request would be empty. */
export class NothingToRevertError extends Error {
  readonly code = 'nothing_to_revert';
  constructor(
    readonly path: string,
    readonly branch: string,
    readonly toRevision: string,
  ) {
    super(`${path} on ${branch} already matches ${toRevision.slice(0, 7)}; there is nothing to revert`);
  }
}
