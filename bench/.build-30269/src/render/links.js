/** URLs the cards link to: the app in the Argo CD UI and commits/compares on GitHub. */
function trimSlash(base) {
    return base.replace(/\/+$/, '');
}
/** `<ui>/applications/<namespace>/<name>`, as INTERFACE.md documents for ARGOCD_UI_URL. */
export function buildArgoAppUrl(argoUiUrl, app) {
    return `${trimSlash(argoUiUrl)}/applications/${encodeURIComponent(app.namespace)}/${encodeURIComponent(app.name)}`;
}
export function buildCommitUrl(githubWebUrl, repo, sha) {
    if (!githubWebUrl || !repo)
        return undefined;
    return `${trimSlash(githubWebUrl)}/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/commit/${encodeURIComponent(sha)}`;
}
export function buildCompareUrl(githubWebUrl, repo, from, to) {
    if (!githubWebUrl || !repo || !from)
        return undefined;
    const base = `${trimSlash(githubWebUrl)}/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;
    return `${base}/compare/${encodeURIComponent(from)}...${encodeURIComponent(to)}`;
}
