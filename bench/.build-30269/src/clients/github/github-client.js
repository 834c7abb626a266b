const FAILING = new Set(['failure', 'timed_out', 'cancelled', 'action_required', 'startup_failure', 'stale']);
function toCommitInfo(c) {
    return {
        sha: c.sha,
        subject: c.commit.message.split('\n')[0] ?? '',
        authorLogin: c.author?.login ?? undefined,
        authorName: c.commit.author?.name ?? undefined,
        authorEmail: c.commit.author?.email ?? undefined,
        date: c.commit.author?.date ?? undefined,
        url: c.html_url,
    };
}
export function createGitHubClient(octokit) {
    return {
        octokit,
        async compare(repo, base, head, maxCommits) {
            const commits = [];
            const logins = new Set();
            const emails = new Set();
            let total = 0;
            // paginate() would return page objects for compare; the iterator gives each page's data.
            for await (const { data } of octokit.paginate.iterator(octokit.rest.repos.compareCommitsWithBasehead, {
                owner: repo.owner,
                repo: repo.name,
                basehead: `${base}...${head}`,
                per_page: 100,
            })) {
                // The paginate typings flatten compare pages oddly; the runtime value is the compare response.
                const page = data;
                total = page.total_commits;
                for (const c of page.commits) {
                    const info = toCommitInfo(c);
                    if (info.authorLogin)
                        logins.add(info.authorLogin.toLowerCase());
                    if (info.authorEmail)
                        emails.add(info.authorEmail.toLowerCase());
                    commits.push(info);
                }
                if (commits.length >= Math.max(maxCommits, 1000))
                    break;
            }
            // Newest first reads best on a card; GitHub returns them oldest first.
            return {
                commits: commits.reverse().slice(0, maxCommits),
                totalCommits: Math.max(total, commits.length),
                authorLogins: [...logins],
                authorEmails: [...emails],
            };
        },
        async getCommit(repo, sha) {
            const { data } = await octokit.rest.repos.getCommit({ owner: repo.owner, repo: repo.name, ref: sha });
            return toCommitInfo(data);
        },
        async pullsForCommits(repo, shas, maxCalls) {
            const seen = new Map();
            for (const sha of shas.slice(0, maxCalls)) {
                const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
                    owner: repo.owner,
                    repo: repo.name,
                    commit_sha: sha,
                });
                for (const pr of data) {
                    if (!seen.has(pr.number))
                        seen.set(pr.number, {
                            number: pr.number,
                            title: pr.title,
                            url: pr.html_url,
                            authorLogin: pr.user?.login,
                            mergedAt: pr.merged_at ?? undefined,
                        });
                }
            }
            return [...seen.values()];
        },
        async checks(repo, sha) {
            // Actions report only through the Checks API, other CI through statuses: both count.
            const [runs, combined] = await Promise.all([
                octokit.paginate(octokit.rest.checks.listForRef, {
                    owner: repo.owner,
                    repo: repo.name,
                    ref: sha,
                    filter: 'latest',
                    per_page: 100,
                }),
                octokit.rest.repos.getCombinedStatusForRef({ owner: repo.owner, repo: repo.name, ref: sha }),
            ]);
            const failing = [];
            const pending = [];
            for (const run of runs) {
                if (run.status !== 'completed')
                    pending.push(run.name);
                else if (run.conclusion && FAILING.has(run.conclusion))
                    failing.push(run.name);
            }
            for (const status of combined.data.statuses) {
                if (status.state === 'pending')
                    pending.push(status.context);
                else if (status.state !== 'success')
                    failing.push(status.context);
            }
            const total = runs.length + combined.data.statuses.length;
            const state = failing.length
                ? 'failure'
                : pending.length
                    ? 'pending'
                    : total > 0
                        ? 'success'
                        : 'pending';
            return { state, total, failing, pendingNames: pending };
        },
        async createDeployment(repo, input) {
            const response = await octokit.rest.repos.createDeployment({
                owner: repo.owner,
                repo: repo.name,
                ref: input.sha,
                environment: input.environment,
                auto_merge: false,
                required_contexts: [],
                production_environment: input.production,
                transient_environment: false,
                description: input.description.slice(0, 140),
                payload: input.payload ?? {},
            });
            const data = response.data;
            if (typeof data.id !== 'number')
                throw new Error(`GitHub did not create the deployment: ${data.message ?? response.status}`);
            return data.id;
        },
        async createDeploymentStatus(repo, deploymentId, input) {
            await octokit.rest.repos.createDeploymentStatus({
                owner: repo.owner,
                repo: repo.name,
                deployment_id: deploymentId,
                state: input.state,
                log_url: input.logUrl,
                environment_url: input.environmentUrl,
                description: input.description?.slice(0, 140),
                auto_inactive: true,
            });
        },
    };
}
/** Turns an Argo CD repoURL into owner/name when it is a GitHub repository. */
export function parseGitHubRepo(repoURL) {
    if (!repoURL)
        return undefined;
    const match = /github\.com[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(repoURL);
    return match ? { owner: match[1], name: match[2] } : undefined;
}
