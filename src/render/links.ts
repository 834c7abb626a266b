/** URLs the cards link to: the app in the Argo CD UI and commits/compares on GitHub. */

function trimSlash(base: string): string {
  return base.replace(/\/+$/, '');
}

export interface RepoRef {
  owner: string;
  name: string;
}

/** `<ui>/applications/<namespace>/<name>`, as INTERFACE.md documents for ARGOCD_UI_URL. */
export function buildArgoAppUrl(argoUiUrl: string, app: { namespace: string; name: string }): string {
  return `${trimSlash(argoUiUrl)}/applications/${encodeURIComponent(app.namespace)}/${encodeURIComponent(app.name)}`;
}

export function buildCommitUrl(
  githubWebUrl: string | undefined,
  repo: RepoRef | undefined,
  sha: string,
): string | undefined {
  if (!githubWebUrl || !repo) return undefined;
  return `${trimSlash(githubWebUrl)}/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/commit/${encodeURIComponent(sha)}`;
}

export function buildCompareUrl(
  githubWebUrl: string | undefined,
  repo: RepoRef | undefined,
  from: string | undefined,
  to: string,
): string | undefined {
  if (!githubWebUrl || !repo || !from) return undefined;
  const base = `${trimSlash(githubWebUrl)}/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;
  return `${base}/compare/${encodeURIComponent(from)}...${encodeURIComponent(to)}`;
}
