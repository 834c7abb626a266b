import type { FakeState } from '../fake-state.js';
import type { RepoState } from '../repo/repo-state.js';

export function repoApiUrl(state: FakeState, repo: RepoState): string {
  return `${state.baseUrl}/repos/${repo.fullName}`;
}

export function repoHtmlUrl(state: FakeState, repo: RepoState): string {
  return `${state.htmlUrl}/${repo.fullName}`;
}

/** GitHub node ids are opaque base64 strings; these only need to be stable and distinct. */
export function nodeId(kind: string, key: string | number): string {
  return Buffer.from(`${kind}:${key}`).toString('base64').replace(/=+$/, '');
}

/** Paths in URLs keep their slashes but escape everything else. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
