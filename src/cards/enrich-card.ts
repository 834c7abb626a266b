import type { SyncWindows } from '../clients/argocd/application-schema.js';
import type { ArgoCdClient } from '../clients/argocd/argocd-client.js';
import type { GitHubClient, PullsOfCommits, RepoRef } from '../clients/github/github-client.js';
import {
  type Card,
  type ChecksSummary,
  type CommitInfo,
  type ImageChange,
  type PullInfo,
  type RevisionInfo,
  unknownChecks,
} from '../domain/card.js';
import { diffImages, imagesInManifest } from '../domain/image-changes.js';
import type { Logger } from '../logging/create-logger.js';

/**
 * Commits kept on a card. Self-approval needs the pull requests of every one of them (whoever opened
 * one counts as an author), so each is looked up and a longer change makes its authorship unknown.
 */
const CHANGELOG_MAX_COMMITS = 100;
const PR_LOOKUPS_MAX = CHANGELOG_MAX_COMMITS;
/** GitHub's own account for commits made in the browser (merges, squashes, web edits). */
const WEB_FLOW = 'web-flow';

/** What Argo CD alone tells (fast, and up when GitHub is not). */
export type ArgoFacts = Pick<Enrichment, 'to' | 'from' | 'images' | 'syncWindow'>;

export interface Enrichment {
  from?: RevisionInfo;
  to: RevisionInfo;
  changelog: Card['changelog'];
  checks: ChecksSummary;
  images: ImageChange[];
  syncWindow?: Card['syncWindow'];
  complete: boolean;
}

function parseState(text: string | null | undefined): unknown {
  if (!text || text === 'null') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Images that change: live vs target from managed-resources, else nothing we can compare. */
async function imageChanges(argocd: ArgoCdClient, card: Card): Promise<ImageChange[]> {
  const resources = await argocd.managedResources(card.app);
  const live: string[] = [];
  const target: string[] = [];
  for (const item of resources.items ?? []) {
    live.push(...imagesInManifest(parseState(item.normalizedLiveState ?? item.liveState)));
    target.push(...imagesInManifest(parseState(item.predictedLiveState ?? item.targetState)));
  }
  return diffImages(live, target);
}

async function revisionInfo(argocd: ArgoCdClient, card: Card, sha: string): Promise<RevisionInfo> {
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
export async function enrichCard({
  card,
  argocd,
  github,
  repo,
  logger,
  onArgoFacts,
}: {
  card: Card;
  argocd: ArgoCdClient;
  github?: GitHubClient;
  repo?: RepoRef;
  logger: Logger;
  /** Called with Argo CD's part before GitHub is asked, so a slow GitHub does not hold it back. */
  onArgoFacts?: (facts: ArgoFacts) => Promise<void>;
}): Promise<Enrichment> {
  const log = logger.child({ cardId: card.id });
  let complete = true;
  const attempt = async <T>(what: string, op: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await op();
    } catch (error) {
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
  const argoFacts: ArgoFacts = {
    to: { ...card.to, ...to },
    from: from ? { ...card.from, ...from } : card.from,
    images: images.length ? images : card.images,
    syncWindow: describeSyncWindow(windows),
  };
  await onArgoFacts?.(argoFacts);
  let changelog: Card['changelog'] = { ...card.changelog, available: false, pending: undefined };
  let checks = unknownChecks();
  if (github && repo) {
    const [compared, checkState] = await Promise.all([
      fromSha
        ? attempt(
            'changelog',
            () => github.compare(repo, fromSha, card.revision, CHANGELOG_MAX_COMMITS),
            undefined,
          )
        : attempt(
            'commit',
            async () => {
              const commit = await github.getCommit(repo, card.revision);
              // No deployed revision to compare with: the change is the target commit.
              return {
                commits: [commit],
                totalCommits: 1,
                authorLogins: commit.authorLogin ? [commit.authorLogin.toLowerCase()] : [],
                authorEmails: commit.authorEmail ? [commit.authorEmail.toLowerCase()] : [],
              };
            },
            undefined,
          ),
      attempt('checks', () => github.checks(repo, card.revision), unknownChecks()),
    ]);
    checks = checkState;
    if (compared) {
      const lookups = await attempt(
        'pull requests',
        () =>
          github.pullsForCommits(
            repo,
            compared.commits.map((c) => c.sha),
            PR_LOOKUPS_MAX,
          ),
        undefined,
      );
      changelog = { available: true, ...compared, ...attachPulls(compared.commits, lookups) };
    }
  }
  return { ...argoFacts, changelog, checks, complete };
}

/**
 * Each commit with the numbers of its pull requests, and each pull request with who merged it. A commit
 * that was not looked up (the lookup failed) keeps no `pulls`, which self-approval reads as unknown.
 */
export function attachPulls(
  commits: readonly CommitInfo[],
  lookups: PullsOfCommits | undefined,
): { commits: CommitInfo[]; pulls: PullInfo[] } {
  if (!lookups) return { commits: [...commits], pulls: [] };
  const bySha = new Map(commits.map((c) => [c.sha, c]));
  const pulls = lookups.pulls.map(({ mergeCommitSha, ...pull }): PullInfo => {
    const mergedBy = mergerOf(mergeCommitSha ? bySha.get(mergeCommitSha) : undefined);
    return mergedBy ? { ...pull, mergedBy } : pull;
  });
  return {
    commits: commits.map((c) => {
      const numbers = lookups.bySha[c.sha];
      return numbers ? { ...c, pulls: numbers } : c;
    }),
    pulls,
  };
}

/**
 * The lookup of a commit's pull requests carries no merged_by, and reading each pull request would
 * double the calls: the merge commit tells. Its committer merged it (a rebase, or a merge made locally);
 * when GitHub's web-flow committed it in the browser, its author is the person who pressed the button
 * (a merge commit), or the pull request's author (a squash), who counts anyway. A merge commit outside
 * the change leaves the merger unknown, and the merger's own commits are still the commits' authors.
 */
function mergerOf(mergeCommit: CommitInfo | undefined): string | undefined {
  if (!mergeCommit) return undefined;
  const committer = mergeCommit.committerLogin ?? mergeCommit.authorLogin;
  if (committer && committer.toLowerCase() !== WEB_FLOW) return committer;
  return mergeCommit.authorLogin;
}

function describeSyncWindow(windows: SyncWindows | undefined): Card['syncWindow'] {
  if (windows?.canSync !== false) return undefined;
  const active = (windows.activeWindows ?? [])
    .map((w) => `${w.kind ?? 'deny'} ${w.schedule ?? ''} for ${w.duration ?? '?'}`)
    .join('; ');
  return { blocked: true, description: `an Argo CD sync window blocks manual syncs now (${active})` };
}
