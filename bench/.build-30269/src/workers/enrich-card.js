import { diffImages, imagesInManifest } from '../domain/image-changes.js';
export const CHANGELOG_MAX_COMMITS = 100;
const PR_LOOKUPS_MAX = 30;
const UNKNOWN_CHECKS = { state: 'unknown', total: 0, failing: [], pendingNames: [] };
function parseState(text) {
    if (!text || text === 'null')
        return undefined;
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
/** Images that change: live vs target from managed-resources, else nothing we can compare. */
async function imageChanges(argocd, card) {
    const resources = await argocd.managedResources(card.app);
    const live = [];
    const target = [];
    for (const item of resources.items ?? []) {
        live.push(...imagesInManifest(parseState(item.normalizedLiveState ?? item.liveState)));
        target.push(...imagesInManifest(parseState(item.predictedLiveState ?? item.targetState)));
    }
    return diffImages(live, target);
}
async function revisionInfo(argocd, card, sha) {
    const meta = await argocd.revisionMetadata(card.app, sha);
    return {
        sha,
        subject: meta.message?.split('\n')[0] ?? undefined,
        author: meta.author ?? undefined,
        date: meta.date ?? undefined,
    };
}
/**
 * Gathers what the card shows. Each source fails on its own: a GitHub outage leaves the changelog
 * "unavailable" and the checks "unknown" (which requireGreenChecks treats as not green).
 */
export async function enrichCard({ card, argocd, github, repo, logger, onArgoFacts, }) {
    const log = logger.child({ cardId: card.id });
    let complete = true;
    const attempt = async (what, op, fallback) => {
        try {
            return await op();
        }
        catch (error) {
            complete = false;
            log.warn({ err: error, what }, 'card enrichment failed; the card shows what is known');
            return fallback;
        }
    };
    const fromSha = card.from?.sha;
    const [to, from, images, windows] = await Promise.all([
        attempt('revision metadata', () => revisionInfo(argocd, card, card.revision), card.to),
        fromSha
            ? attempt('from-revision metadata', () => revisionInfo(argocd, card, fromSha), card.from)
            : undefined,
        attempt('image changes', () => imageChanges(argocd, card), card.images),
        attempt('sync windows', () => argocd.syncWindows(card.app), undefined),
    ]);
    const argoFacts = {
        to: { ...card.to, ...to },
        from: from ? { ...card.from, ...from } : card.from,
        images: images.length ? images : card.images,
        syncWindow: describeSyncWindow(windows),
    };
    await onArgoFacts?.(argoFacts);
    let changelog = { ...card.changelog, available: false };
    let checks = UNKNOWN_CHECKS;
    if (github && repo) {
        const [compared, checkState] = await Promise.all([
            fromSha
                ? attempt('changelog', () => github.compare(repo, fromSha, card.revision, CHANGELOG_MAX_COMMITS), undefined)
                : attempt('commit', async () => {
                    const commit = await github.getCommit(repo, card.revision);
                    return {
                        commits: [commit],
                        totalCommits: 1,
                        authorLogins: commit.authorLogin ? [commit.authorLogin.toLowerCase()] : [],
                        authorEmails: commit.authorEmail ? [commit.authorEmail.toLowerCase()] : [],
                    };
                }, undefined),
            attempt('checks', () => github.checks(repo, card.revision), UNKNOWN_CHECKS),
        ]);
        checks = checkState;
        if (compared) {
            const pulls = await attempt('pull requests', () => github.pullsForCommits(repo, compared.commits.map((c) => c.sha), PR_LOOKUPS_MAX), []);
            changelog = { available: true, ...compared, pulls };
        }
    }
    return { ...argoFacts, changelog, checks, complete };
}
function describeSyncWindow(windows) {
    if (windows?.canSync !== false)
        return undefined;
    const active = (windows.activeWindows ?? [])
        .map((w) => `${w.kind ?? 'deny'} ${w.schedule ?? ''} for ${w.duration ?? '?'}`)
        .join('; ');
    return { blocked: true, description: `an Argo CD sync window blocks manual syncs now (${active})` };
}
